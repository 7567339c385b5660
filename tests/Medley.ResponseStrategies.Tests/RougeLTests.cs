using CsCheck;
using Medley.Ensemble.Mbr;

namespace Medley.ResponseStrategies.Tests;

public sealed class RougeLTests
{
    [Theory]
    // LCS "the cat on the mat" = 5 of 6 and 6 tokens.
    [InlineData("the cat sat on the mat", "the cat lay on the mat", 5.0 / 6)]
    // LCS "b d" = 2: P 2/4, R 2/2, F = 2·(1/2)·1/(3/2) = 2/3.
    [InlineData("a b c d", "b d", 2.0 / 3)]
    // Order matters: LCS 1, P = R = 1/2.
    [InlineData("a b", "b a", 0.5)]
    // Tokens are split on any whitespace run.
    [InlineData("a\tb\n c", "a b c", 1.0)]
    [InlineData("The cat", "the cat", 0.5)]
    [InlineData("a b", "c d", 0.0)]
    [InlineData("", "a", 0.0)]
    public void Matches_hand_computed_values(string hypothesis, string reference, double expected) =>
        Assert.Equal(expected, RougeL.Score(hypothesis, reference), 12);

    [Fact]
    public void Matches_a_full_table_longest_common_subsequence_on_random_texts()
    {
        var text = Gen.String[Gen.Char["ab "], 0, 16];
        Gen.Select(text, text).Sample(pair =>
        {
            var h = pair.Item1.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var r = pair.Item2.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var table = new int[h.Length + 1, r.Length + 1];
            for (var i = 1; i <= h.Length; i++)
            {
                for (var j = 1; j <= r.Length; j++)
                {
                    table[i, j] = h[i - 1] == r[j - 1] ? table[i - 1, j - 1] + 1 : Math.Max(table[i - 1, j], table[i, j - 1]);
                }
            }

            double lcs = table[h.Length, r.Length];
            var expected = lcs == 0 ? 0 : 2 * lcs / (h.Length + r.Length);
            Assert.Equal(expected, RougeL.Score(pair.Item1, pair.Item2), 12);
        }, iter: 500);
    }
}
