namespace Medley.Evaluation.Tests;

/// <summary>What greedy decoding by hand produced for a prompt: text, tokens, forward passes, why it stopped.</summary>
public sealed record GreedyAnswer(string Text, int Tokens, int Calls, string StopReason);
