namespace Medley.Sdk.Testing;

/// <summary>How <see cref="StepCombinerConformance.CheckAsync"/> drives a step combiner.</summary>
public sealed record StepConformanceOptions
{
    /// <summary>The role of each member (see <see cref="ConformanceMembers.RoleNames"/>); two "member"s by default.</summary>
    public IReadOnlyList<string> MemberRoles { get; init; } = ["member", "member"];

    /// <summary>The strategy's parameters.</summary>
    public StrategyParameters Parameters { get; init; } = StrategyParameters.Empty;

    /// <summary>Steps combined per run.</summary>
    public int Steps { get; init; } = 6;

    /// <summary>Picks the members' random logits.</summary>
    public ulong Seed { get; init; } = 11;

    /// <summary>How long a call with a cancelled token may run before it counts as ignoring cancellation.</summary>
    public TimeSpan CancellationBound { get; init; } = TimeSpan.FromSeconds(5);
}
