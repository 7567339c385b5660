namespace Medley.Host.Evaluation;

/// <summary>How one item went.</summary>
/// <param name="Task">Its task.</param>
/// <param name="Line">Its line in the task file.</param>
/// <param name="Prompt">The prompt.</param>
/// <param name="Answer">The expected answer.</param>
/// <param name="Output">What was generated.</param>
/// <param name="Correct">Whether <paramref name="Output"/>, trimmed, equals <paramref name="Answer"/>.</param>
/// <param name="PromptTokens">Tokens in the prompt.</param>
/// <param name="GeneratedTokens">Tokens generated.</param>
/// <param name="StopReason"><c>eos</c>, <c>mismatch</c> (the output could no longer match), <c>max-tokens</c> or <c>context-length</c>.</param>
public sealed record ItemResult(
    string Task,
    int Line,
    string Prompt,
    string Answer,
    string Output,
    bool Correct,
    int PromptTokens,
    int GeneratedTokens,
    string StopReason);
