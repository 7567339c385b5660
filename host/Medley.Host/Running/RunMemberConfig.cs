using Medley.Host.Chat;
using Medley.Sdk;

namespace Medley.Host.Running;

/// <summary>One model of a run config, in the role it plays: a local ONNX model folder or a remote endpoint.</summary>
/// <param name="Role">The role (a key of <c>models</c>).</param>
/// <param name="Path">The ONNX model folder, absolute; empty for a remote member.</param>
/// <param name="Name">The member's name, unique in the run (the folder name, or the remote model, unless given).</param>
/// <param name="Device">The member's own device, or <see langword="null"/> for the run's.</param>
/// <param name="Parameters">Per-member strategy parameters (like <c>weight</c>, <c>tier</c>).</param>
public sealed record RunMemberConfig(string Role, string Path, string Name, string? Device, StrategyParameters Parameters)
{
    /// <summary>How a local member turns messages into its prompt (response runs and chat serving).</summary>
    public ChatPromptFormat PromptFormat { get; init; } = ChatPromptFormat.Template;

    /// <summary>The OpenAI-compatible server of a remote member; <see langword="null"/> for a local one.</summary>
    public RemoteMemberConfig? Remote { get; init; }

    /// <summary>The price of the member's tokens, for cost accounting; <see langword="null"/> when free or unknown.</summary>
    public MemberCost? Cost { get; init; }

    /// <summary>Most time one call (one attempt, for a remote member) may take; <see langword="null"/> for no limit of the run's own.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Retries of a remote call after a transient failure (429, 5xx, timeout).</summary>
    public int Retries { get; init; } = 2;

    /// <summary>Whether the member is reached over HTTP rather than loaded.</summary>
    public bool IsRemote => Remote is not null;
}
