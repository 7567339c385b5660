namespace Medley.Host.Evaluation;

/// <summary>
/// Exact-match scoring: the generated text, trimmed, must equal the answer (trimmed too, so that a task file's
/// stray space cannot make an item unanswerable). It also tells, while text is still coming, whether a match is
/// still possible, so that decoding can stop at the first wrong character instead of running to the cap.
/// </summary>
internal sealed class ExactMatch
{
    private readonly string _answer;

    public ExactMatch(string answer) => _answer = answer.Trim();

    public bool Matches(string text) => string.Equals(text.Trim(), _answer, StringComparison.Ordinal);

    /// <summary>Whether some continuation of <paramref name="textSoFar"/> could still match.</summary>
    public bool CouldStillMatch(string textSoFar)
    {
        var text = textSoFar.TrimStart();
        if (text.Length <= _answer.Length)
        {
            return _answer.StartsWith(text, StringComparison.Ordinal);
        }

        // Past the answer's length only trailing whitespace, which trimming removes, keeps the match alive.
        return text.StartsWith(_answer, StringComparison.Ordinal) && string.IsNullOrWhiteSpace(text[_answer.Length..]);
    }
}
