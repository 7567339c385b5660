namespace Medley.Ensemble.Vote;

/// <summary>How the answer a candidate votes for is read from its text.</summary>
public enum AnswerExtraction
{
    /// <summary>The whole text, trimmed.</summary>
    Exact,

    /// <summary>The last number in the text (thousands commas and a leading plus removed).</summary>
    LastNumber,

    /// <summary>The first capture group of the first match of a pattern.</summary>
    Regex,
}
