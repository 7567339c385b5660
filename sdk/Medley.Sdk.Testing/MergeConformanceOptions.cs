namespace Medley.Sdk.Testing;

/// <summary>How <see cref="MergeMethodConformance.Check"/> drives a merge method.</summary>
public sealed record MergeConformanceOptions
{
    /// <summary>Global parameters for every tensor; give what the method requires (e.g. <c>{"t": 0.3}</c> for slerp).</summary>
    public StrategyParameters GlobalParameters { get; init; } = StrategyParameters.Empty;

    /// <summary>Parameters of each non-base model (e.g. <c>{"weight": 0.5, "density": 0.5}</c>).</summary>
    public StrategyParameters ModelParameters { get; init; } = StrategyParameters.Empty;

    /// <summary>Non-base models to merge; <see langword="null"/> picks two, within the method's traits.</summary>
    public int? ModelCount { get; init; }

    /// <summary>The tensor's shape.</summary>
    public IReadOnlyList<long> Shape { get; init; } = [4, 6];

    /// <summary>The seed the tensor is merged with (twice, to check determinism).</summary>
    public ulong Seed { get; init; } = 3;

    /// <summary>How long a call with a cancelled token may run before it counts as ignoring cancellation.</summary>
    public TimeSpan CancellationBound { get; init; } = TimeSpan.FromSeconds(5);
}
