namespace Medley.Ensemble.Mbr;

/// <summary>
/// ROUGE-L F-measure over whitespace tokens (compared ordinally, case-sensitive): with L the length of the longest
/// common subsequence, P = L/|hypothesis|, R = L/|reference| and F = 2PR/(P + R), as the rouge-score package's
/// default (β = 1). Returned in [0, 1].
/// </summary>
public static class RougeL
{
    /// <summary>ROUGE-L F of a hypothesis against one reference.</summary>
    /// <param name="hypothesis">The text being scored.</param>
    /// <param name="reference">The text it is scored against.</param>
    /// <returns>The score in [0, 1].</returns>
    public static double Score(string hypothesis, string reference)
    {
        ArgumentNullException.ThrowIfNull(hypothesis);
        ArgumentNullException.ThrowIfNull(reference);
        var hypothesisTokens = hypothesis.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var referenceTokens = reference.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var common = LongestCommonSubsequence(hypothesisTokens, referenceTokens);
        if (common == 0)
        {
            return 0;
        }

        var precision = (double)common / hypothesisTokens.Length;
        var recall = (double)common / referenceTokens.Length;
        return 2 * precision * recall / (precision + recall);
    }

    // One row of the dynamic programme at a time: memory grows with the reference, not with the product.
    private static int LongestCommonSubsequence(string[] first, string[] second)
    {
        var previous = new int[second.Length + 1];
        var current = new int[second.Length + 1];
        foreach (var token in first)
        {
            for (var j = 1; j <= second.Length; j++)
            {
                current[j] = string.Equals(token, second[j - 1], StringComparison.Ordinal)
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return previous[second.Length];
    }
}
