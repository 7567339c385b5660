using System.Globalization;
using System.Text.RegularExpressions;

namespace Medley.Ensemble.Router;

/// <summary>Reads a judge's free-text reply: which member it names, or the score it gives.</summary>
public static partial class JudgeReply
{
    /// <summary>
    /// The member a reply names: the whole reply when it is a name (case-insensitive, surrounding quotes, asterisks
    /// and punctuation ignored); else a bare number 1..n (a position in <paramref name="members"/>); else the name
    /// that occurs earliest as a whole word (the longer name when two start at the same place).
    /// </summary>
    /// <param name="reply">The judge's reply.</param>
    /// <param name="members">The member names, in run-config order.</param>
    /// <returns>The named member, or <see langword="null"/> when the reply names none.</returns>
    public static string? ParseMember(string reply, IReadOnlyList<string> members)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(members);
        var bare = reply.Trim().Trim('"', '\'', '`', '*', '.', '!', ':', ' ');
        var exact = members.FirstOrDefault(m => string.Equals(m, bare, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return exact;
        }

        if (int.TryParse(bare, NumberStyles.None, CultureInfo.InvariantCulture, out var position))
        {
            return position >= 1 && position <= members.Count ? members[position - 1] : null;
        }

        string? found = null;
        var foundAt = int.MaxValue;
        foreach (var member in members)
        {
            var match = Regex.Match(reply, $@"(?<![\w-]){Regex.Escape(member)}(?![\w-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            if (match.Success && (match.Index < foundAt || (match.Index == foundAt && member.Length > found!.Length)))
            {
                found = member;
                foundAt = match.Index;
            }
        }

        return found;
    }

    /// <summary>
    /// The score a reply gives: its first number, read as a share when followed by "%" ("85%" is 0.85).
    /// </summary>
    /// <param name="reply">The judge's reply.</param>
    /// <returns>The score in [0, 1], or <see langword="null"/> when the reply has no number or one outside [0, 1].</returns>
    public static double? ParseScore(string reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var match = NumberPattern().Match(reply);
        if (!match.Success)
        {
            return null;
        }

        var value = double.Parse(match.Groups["number"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (match.Groups["percent"].Success)
        {
            value /= 100;
        }

        return value is >= 0 and <= 1 ? value : null;
    }

    [GeneratedRegex(@"(?<![\w.])(?<number>-?(?:\d+(?:\.\d+)?|\.\d+))\s*(?<percent>%)?", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex NumberPattern();
}
