using System.Text.Json;
using Medley.Sdk;
using Medley.Sdk.Decoding;

namespace Medley.Host.Running;

/// <summary>A run config (<c>schemas/run-config.schema.json</c>): a strategy (token- or response-level), its members by role, its parameters and sampling.</summary>
public sealed record RunConfig
{
    /// <summary>The file it came from (for messages); empty for configs built in code.</summary>
    public string Source { get; init; } = string.Empty;

    /// <summary>The strategy's name.</summary>
    public required string Strategy { get; init; }

    /// <summary>The members, in the order the config lists them (roles in order, list entries in order).</summary>
    public required IReadOnlyList<RunMemberConfig> Members { get; init; }

    /// <summary>The strategy's parameters (a JSON object).</summary>
    public JsonElement Parameters { get; init; } = StrategyParameters.Empty.Json;

    /// <summary>How tokens are drawn and when generation stops.</summary>
    public SamplingOptions Sampling { get; init; } = new();

    /// <summary>Whether the file has a <c>sampling</c> section (response runs then pass it to members as default chat options).</summary>
    public bool HasSampling { get; init; }

    /// <summary>The device of members that name none.</summary>
    public string Device { get; init; } = "cpu";
}
