using System.Text.RegularExpressions;
using Medley.Sdk;

namespace Medley.Ensemble.Vote;

/// <summary>Reads the answer a candidate votes for; <see langword="null"/> when the text holds none (the candidate abstains).</summary>
public sealed partial class AnswerExtractor
{
    private static readonly TimeSpan s_matchTimeout = TimeSpan.FromSeconds(1);
    private readonly AnswerExtraction _extraction;
    private readonly Regex? _pattern;

    /// <summary>Creates an extractor.</summary>
    /// <param name="extraction">The rule.</param>
    /// <param name="pattern">The pattern for <see cref="AnswerExtraction.Regex"/>: it must have a capture group.</param>
    public AnswerExtractor(AnswerExtraction extraction, string? pattern = null)
    {
        _extraction = extraction;
        if (extraction != AnswerExtraction.Regex)
        {
            return;
        }

        if (string.IsNullOrEmpty(pattern))
        {
            throw new MedleyException("parameter.missing", "Parameter 'pattern' is required when 'extraction' is \"regex\": a regular expression whose first capture group is the answer.");
        }

        try
        {
            _pattern = new Regex(pattern, RegexOptions.CultureInvariant, s_matchTimeout);
        }
        catch (ArgumentException error)
        {
            throw new MedleyException("parameter.invalid", $"Parameter 'pattern' (\"{pattern}\") is not a valid regular expression: {error.Message}");
        }

        if (_pattern.GetGroupNumbers().Length < 2)
        {
            throw new MedleyException("parameter.invalid", $"Parameter 'pattern' (\"{pattern}\") has no capture group: expected one around the answer, e.g. \"answer: (\\\\w+)\".");
        }
    }

    /// <summary>The answer in <paramref name="text"/>, or <see langword="null"/> when there is none.</summary>
    /// <param name="text">A candidate's text.</param>
    /// <returns>The answer.</returns>
    public string? Extract(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        switch (_extraction)
        {
            case AnswerExtraction.Exact:
                var trimmed = text.Trim();
                return trimmed.Length == 0 ? null : trimmed;
            case AnswerExtraction.LastNumber:
                var numbers = NumberPattern().Matches(text);
                return numbers.Count == 0 ? null : Normalise(numbers[^1].Value);
            default:
                var match = _pattern!.Match(text);
                return match.Success && match.Groups[1].Success ? match.Groups[1].Value.Trim() : null;
        }
    }

    // "1,234" and "+1234" are the same answer as "1234".
    private static string Normalise(string number) =>
        number.Replace(",", string.Empty, StringComparison.Ordinal).TrimStart('+');

    [GeneratedRegex(@"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex NumberPattern();
}
