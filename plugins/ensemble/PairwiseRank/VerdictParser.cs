using System.Text.RegularExpressions;

namespace Medley.Ensemble.PairwiseRank;

/// <summary>
/// Reads the judge's choice from free text. In order: the whole answer is one letter (any case, with quotes,
/// brackets, asterisks or a full stop around it); the last explicit verdict ("the answer is B", "Winner: [[A]]",
/// "B is better"; "answer A" alone is not one, since the default prompt names the candidates that way); the only
/// capital letter A or B standing alone as a word. Anything else is a tie, so an unreadable answer gives half a
/// point to each side rather than favouring one.
/// </summary>
internal static partial class VerdictParser
{
    private static readonly char[] s_decoration = ['*', '"', '\'', '`', '[', ']', '(', ')', '.', ':', '!', ' ', '\t', '\r', '\n'];

    public static JudgeVerdict Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bare = text.Trim(s_decoration);
        if (bare.Length == 1 && Letter(bare[0]) is { } single)
        {
            return single;
        }

        var explicitVerdicts = ExplicitVerdict().Matches(text);
        if (explicitVerdicts.Count > 0)
        {
            var last = explicitVerdicts[^1];
            var letter = last.Groups["before"].Success ? last.Groups["before"].Value : last.Groups["after"].Value;
            return letter == "A" ? JudgeVerdict.A : JudgeVerdict.B;
        }

        var letters = StandaloneLetter().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal).ToList();
        return letters.Count == 1 ? (letters[0] == "A" ? JudgeVerdict.A : JudgeVerdict.B) : JudgeVerdict.Tie;
    }

    private static JudgeVerdict? Letter(char c) => char.ToUpperInvariant(c) switch
    {
        'A' => JudgeVerdict.A,
        'B' => JudgeVerdict.B,
        _ => null,
    };

    // Verdict words are matched in any case, the letter only as a capital: a lower-case "a" is usually the article.
    [GeneratedRegex(
        @"(?i:\b(?:verdict|winner|choice|choose|prefer(?:red)?|(?:better|best)\s+(?:one|answer|response|candidate|option)\s+is|answer\s+is|better|best)\b)[\s:=*\[\(""'`-]*(?:(?i:candidate|response|output|answer|option)\s*)?[\[\(""'`*]*(?<after>[AB])\b|\b(?<before>[AB])\b[\]\)""'`*]*\s+(?i:is\s+(?:the\s+)?(?:better|best|preferred|winner|correct|right))",
        RegexOptions.CultureInvariant,
        1000)]
    private static partial Regex ExplicitVerdict();

    [GeneratedRegex(@"\b[AB]\b", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex StandaloneLetter();
}
