using System.Text.RegularExpressions;

namespace Medley.Ensemble.Cascade;

/// <summary>Reads a verifier's yes/no reply.</summary>
public static partial class VerifierVerdict
{
    /// <summary>
    /// The verdict in a reply: its first whole word among yes/correct/true (yes) and no/incorrect/false/wrong (no),
    /// case-insensitive.
    /// </summary>
    /// <param name="reply">The verifier's reply.</param>
    /// <returns><see langword="true"/> for yes, <see langword="false"/> for no, <see langword="null"/> when it says neither.</returns>
    public static bool? Parse(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var match = VerdictPattern().Match(reply);
        return match.Success ? match.Groups["yes"].Success : null;
    }

    [GeneratedRegex(@"\b(?:(?<yes>yes|correct|true)|no|incorrect|false|wrong)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex VerdictPattern();
}
