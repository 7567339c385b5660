using Medley.Sdk;

namespace Medley.Host.Evaluation;

/// <summary>How <see cref="Evaluator"/> runs, and what the report says about the run.</summary>
/// <param name="TasksFile">The task file, as given.</param>
/// <param name="Limit">Items kept per task, if limited.</param>
/// <param name="Parallelism">Items decoded at once.</param>
/// <param name="Progress">Receives items completed, if set.</param>
internal sealed record EvaluationRunSettings(string TasksFile, int? Limit, int Parallelism, IProgress<ProgressUpdate>? Progress);
