using Microsoft.Extensions.AI;

namespace Medley.FusionStrategies.Tests.Support;

/// <summary>A member as a run config would name it: name, role, client and its own parameters (JSON) if any.</summary>
public sealed record Participant(string Name, string Role, IChatClient Client, string? ParametersJson = null);
