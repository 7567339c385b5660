namespace Medley.Host.Evaluation;

/// <summary>One prompt with its exact answer, from a task file.</summary>
/// <param name="Task">The task it belongs to, e.g. <c>add</c>.</param>
/// <param name="Prompt">The text the model continues.</param>
/// <param name="Answer">The text the model must produce (compared after trimming whitespace).</param>
/// <param name="Line">Its 1-based line in the task file, for messages.</param>
public sealed record EvaluationItem(string Task, string Prompt, string Answer, int Line);
