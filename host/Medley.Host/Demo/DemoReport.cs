namespace Medley.Host.Demo;

/// <summary>What <c>medley demo</c> measured, every number computed in that run.</summary>
public sealed record DemoReport
{
    /// <summary>The skills suite used.</summary>
    public required string SkillsFolder { get; init; }

    /// <summary>The tasks, in column order.</summary>
    public required IReadOnlyList<string> Tasks { get; init; }

    /// <summary>Items evaluated per task.</summary>
    public required IReadOnlyDictionary<string, int> ItemsPerTask { get; init; }

    /// <summary>The rows, models first, then merges, then strategies.</summary>
    public required IReadOnlyList<DemoRow> Rows { get; init; }

    /// <summary>The merge with the highest lowest-normalized accuracy.</summary>
    public required string BestMerge { get; init; }

    /// <summary>Comparisons the demo exists to show, each stated with its numbers.</summary>
    public required IReadOnlyList<DemoFinding> Findings { get; init; }

    /// <summary>Seconds for the whole demo.</summary>
    public required double WallSeconds { get; init; }
}
