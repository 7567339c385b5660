using Medley.Sdk;

namespace Medley.Host.Running;

/// <summary>One model of a run config, in the role it plays.</summary>
/// <param name="Role">The role (a key of <c>models</c>).</param>
/// <param name="Path">The ONNX model folder, absolute.</param>
/// <param name="Name">The member's name, unique in the run (the folder name unless given).</param>
/// <param name="Device">The member's own device, or <see langword="null"/> for the run's.</param>
/// <param name="Parameters">Per-member strategy parameters (like <c>weight</c>).</param>
public sealed record RunMemberConfig(string Role, string Path, string Name, string? Device, StrategyParameters Parameters);
