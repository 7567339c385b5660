using System.Text.Json;
using Medley.Sdk;

namespace Medley.Host.Plugins;

/// <summary>A strategy that a loaded plugin provides, as its manifest describes it.</summary>
/// <param name="Name">The strategy name.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Summary">One-line description.</param>
/// <param name="Roles">Roles models play in it.</param>
/// <param name="ParametersSchema">JSON Schema of its parameters, if any.</param>
/// <param name="PluginId">The plugin that provides it.</param>
/// <param name="ImplementationType">The class implementing it (full name).</param>
public sealed record StrategyDescriptor(
    string Name,
    StrategyKind Kind,
    string Summary,
    IReadOnlyList<StrategyRole> Roles,
    JsonElement? ParametersSchema,
    string PluginId,
    string ImplementationType);
