namespace Medley.Sdk.Testing;

/// <summary>How <see cref="ResponseStrategyConformance.CheckAsync"/> drives a response strategy.</summary>
public sealed record ResponseConformanceOptions
{
    /// <summary>The role of each member (see <see cref="ConformanceMembers.RoleNames"/>); three "member"s by default.</summary>
    public IReadOnlyList<string> MemberRoles { get; init; } = ["member", "member", "member"];

    /// <summary>The strategy's parameters.</summary>
    public StrategyParameters Parameters { get; init; } = StrategyParameters.Empty;

    /// <summary>What every scripted member answers.</summary>
    public string Reply { get; init; } = "The answer is 42.";

    /// <summary>
    /// Whether the strategy must still answer when one member fails; <see langword="null"/> means: when some role has
    /// more than one member (a pool whose quorum allows a loss).
    /// </summary>
    public bool? SurvivesOneFailingMember { get; init; }

    /// <summary>How long a call with a cancelled token may run before it counts as ignoring cancellation.</summary>
    public TimeSpan CancellationBound { get; init; } = TimeSpan.FromSeconds(5);
}
