using System.Text;

namespace Medley.Ensemble.Mbr;

/// <summary>
/// Sentence-level chrF with sacreBLEU's defaults (character n-grams n = 1..6, no word n-grams, β = 2, whitespace
/// removed before n-grams are taken, no epsilon smoothing): precision and recall are averaged over the orders at which
/// both texts have n-grams, then combined as F_β. Characters are Unicode code points, as Python's strings count them,
/// so a character outside the Basic Multilingual Plane is one character, not two UTF-16 units. Returned as a
/// fraction in [0, 1] (sacreBLEU prints 100 times this).
/// </summary>
public static class ChrF
{
    private const int CharacterOrder = 6;
    private const double Beta = 2;

    /// <summary>chrF of a hypothesis against one reference.</summary>
    /// <param name="hypothesis">The text being scored.</param>
    /// <param name="reference">The text it is scored against.</param>
    /// <returns>The score in [0, 1].</returns>
    public static double Score(string hypothesis, string reference)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(reference);
        var hypothesisCharacters = WithoutWhitespace(hypothesis);
        var referenceCharacters = WithoutWhitespace(reference);
        double precisionSum = 0, recallSum = 0;
        var effectiveOrders = 0;
        for (var n = 1; n <= CharacterOrder; n++)
        {
            var hypothesisGrams = Count(hypothesisCharacters, n);
            var referenceGrams = Count(referenceCharacters, n);
            var hypothesisTotal = hypothesisCharacters.Length - n + 1;
            var referenceTotal = referenceCharacters.Length - n + 1;
            if (hypothesisTotal <= 0 || referenceTotal <= 0)
            {
                continue;
            }

            var matches = 0;
            foreach (var (gram, count) in hypothesisGrams)
            {
                if (referenceGrams.TryGetValue(gram, out var referenceCount))
                {
                    matches += Math.Min(count, referenceCount);
                }
            }

            precisionSum += (double)matches / hypothesisTotal;
            recallSum += (double)matches / referenceTotal;
            effectiveOrders++;
        }

        if (effectiveOrders == 0)
        {
            return 0;
        }

        var precision = precisionSum / effectiveOrders;
        var recall = recallSum / effectiveOrders;
        var factor = Beta * Beta;
        return precision + recall > 0 ? (1 + factor) * precision * recall / ((factor * precision) + recall) : 0;
    }

    private static string[] WithoutWhitespace(string text) =>
        [.. text.EnumerateRunes().Where(r => !Rune.IsWhiteSpace(r)).Select(r => r.ToString())];

    private static Dictionary<string, int> Count(string[] characters, int n)
    {
        var grams = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var start = 0; start + n <= characters.Length; start++)
        {
            var gram = string.Concat(characters.AsSpan(start, n));
            grams[gram] = grams.GetValueOrDefault(gram) + 1;
        }

        return grams;
    }
}
