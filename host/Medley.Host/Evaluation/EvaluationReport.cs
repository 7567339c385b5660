namespace Medley.Host.Evaluation;

/// <summary>The result of <c>medley eval</c>; its JSON form is described by <c>schemas/eval-report.schema.json</c>.</summary>
public sealed record EvaluationReport
{
    /// <summary>What was evaluated.</summary>
    public required EvaluationSubject Subject { get; init; }

    /// <summary>The task file.</summary>
    public required string TasksFile { get; init; }

    /// <summary>Items kept per task (<c>--limit</c>); null when all were run.</summary>
    public int? Limit { get; init; }

    /// <summary>Items decoded at once.</summary>
    public required int Parallelism { get; init; }

    /// <summary>Items evaluated.</summary>
    public required int Items { get; init; }

    /// <summary>Items answered exactly.</summary>
    public required int Correct { get; init; }

    /// <summary>Overall exact-match accuracy: <see cref="Correct"/> / <see cref="Items"/>.</summary>
    public required double Accuracy { get; init; }

    /// <summary>Accuracy per task, in order of first appearance in the task file.</summary>
    public required IReadOnlyList<TaskScore> Tasks { get; init; }

    /// <summary>Prompt tokens over all items.</summary>
    public required long PromptTokens { get; init; }

    /// <summary>Tokens generated over all items.</summary>
    public required long GeneratedTokens { get; init; }

    /// <summary>Seconds from the first item's start to the last item's end (model loading excluded).</summary>
    public required double WallSeconds { get; init; }

    /// <summary>Generated tokens per wall-clock second (prompt processing included in the time).</summary>
    public required double TokensPerSecond { get; init; }

    /// <summary>Forward passes per model.</summary>
    public required IReadOnlyDictionary<string, long> Calls { get; init; }

    /// <summary>The subject's own counters (a strategy's); empty for a single model.</summary>
    public required IReadOnlyDictionary<string, double> Counters { get; init; }

    /// <summary>Every item's outcome, in task-file order.</summary>
    public required IReadOnlyList<ItemResult> Results { get; init; }
}
