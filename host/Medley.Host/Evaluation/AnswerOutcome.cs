namespace Medley.Host.Evaluation;

/// <summary>What an answerer produced for one prompt.</summary>
/// <param name="Text">The generated text (without the end-of-sequence token).</param>
/// <param name="PromptTokens">Tokens in the prompt.</param>
/// <param name="GeneratedTokens">Tokens generated.</param>
/// <param name="StopReason">Why it stopped: <c>eos</c>, <c>mismatch</c>, <c>max-tokens</c> or <c>context-length</c>.</param>
internal sealed record AnswerOutcome(string Text, int PromptTokens, int GeneratedTokens, string StopReason);
