using CsCheck;
using Medley.Ensemble.Mbr;

namespace Medley.ResponseStrategies.Tests;

public sealed class ChrFTests
{
    [Theory]
    // n=1: P 2/2, R 2/3; n=2: P 1/1, R 1/2; n≥3: the hypothesis has none. avgP 1, avgR 7/12, F2 = 5·(7/12)/(4 + 7/12) = 7/11.
    [InlineData("ab", "abc", 7.0 / 11)]
    // The reverse weighs recall (β = 2): avgP 7/12, avgR 1, F2 = 5·(7/12)/(4·7/12 + 1) = 7/8.
    [InlineData("abc", "ab", 7.0 / 8)]
    // n=1..4 give P = R = 3/4, 2/3, 1/2, 0; n=5,6 have no n-grams. F = mean = 23/48.
    [InlineData("abcd", "abce", 23.0 / 48)]
    // Whitespace is removed before n-grams are taken (sacreBLEU whitespace=False).
    [InlineData("a b  c", "abc", 1.0)]
    [InlineData("abc", "xyz", 0.0)]
    // A code point outside the BMP is one character (as in Python), so this is the "ab" / "abc" case again.
    [InlineData("a\U0001F600", "a\U0001F600b", 7.0 / 11)]
    [InlineData("", "abc", 0.0)]
    public void Matches_hand_computed_values(string hypothesis, string reference, double expected) =>
        Assert.Equal(expected, ChrF.Score(hypothesis, reference), 12);

    [Fact]
    public void Matches_an_independent_reference_on_random_texts()
    {
        var text = Gen.String[Gen.Char["ab c"], 0, 14];
        Gen.Select(text, text).Sample(pair =>
            Assert.Equal(ReferenceChrF(pair.Item1, pair.Item2), ChrF.Score(pair.Item1, pair.Item2), 12), iter: 500);
    }

    // Plain loops: matches are counted by striking used reference n-grams from a list.
    private static double ReferenceChrF(string hypothesis, string reference)
    {
        var h = hypothesis.Replace(" ", string.Empty, StringComparison.Ordinal);
        var r = reference.Replace(" ", string.Empty, StringComparison.Ordinal);
        double precision = 0, recall = 0;
        var orders = 0;
        for (var n = 1; n <= 6; n++)
        {
            if (h.Length < n || r.Length < n)
            {
                continue;
            }

            var unused = new List<string>();
            for (var i = 0; i + n <= r.Length; i++)
            {
                unused.Add(r.Substring(i, n));
            }

            var matches = 0;
            for (var i = 0; i + n <= h.Length; i++)
            {
                if (unused.Remove(h.Substring(i, n)))
                {
                    matches++;
                }
            }

            precision += (double)matches / (h.Length - n + 1);
            recall += (double)matches / (r.Length - n + 1);
            orders++;
        }

        if (orders == 0)
        {
            return 0;
        }

        precision /= orders;
        recall /= orders;
        return precision + recall == 0 ? 0 : 5 * precision * recall / ((4 * precision) + recall);
    }
}
