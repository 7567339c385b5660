namespace Medley.Sdk.Testing;

/// <summary>How <see cref="DecodingStrategyConformance.CheckAsync"/> drives a decoding strategy.</summary>
public sealed record DecodingConformanceOptions
{
    /// <summary>The role of each member (see <see cref="ConformanceMembers.RoleNames"/>); two "member"s by default.</summary>
    public IReadOnlyList<string> MemberRoles { get; init; } = ["member", "member"];

    /// <summary>The strategy's parameters.</summary>
    public StrategyParameters Parameters { get; init; } = StrategyParameters.Empty;

    /// <summary>The prompt; printable ASCII (the kit's tokenizer).</summary>
    public string Prompt { get; init; } = "12+34=";

    /// <summary>The token limit of each run.</summary>
    public int MaxTokens { get; init; } = 8;

    /// <summary>The sampling temperature; above 0 so that the seed matters.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>The sampler's seed; two runs with it must agree.</summary>
    public ulong Seed { get; init; } = 7;

    /// <summary>How long a run with a cancelled token may take before it counts as ignoring cancellation.</summary>
    public TimeSpan CancellationBound { get; init; } = TimeSpan.FromSeconds(5);
}
