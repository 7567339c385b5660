namespace Medley.Host.Evaluation;

/// <summary>Exact-match accuracy on one task.</summary>
/// <param name="Task">The task name.</param>
/// <param name="Items">Items evaluated.</param>
/// <param name="Correct">Items answered exactly.</param>
/// <param name="Accuracy"><paramref name="Correct"/> / <paramref name="Items"/>, in [0, 1].</param>
/// <param name="GeneratedTokens">Tokens generated for the task's items.</param>
public sealed record TaskScore(string Task, int Items, int Correct, double Accuracy, long GeneratedTokens);
