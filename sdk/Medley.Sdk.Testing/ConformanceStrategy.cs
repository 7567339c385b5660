using System.Text.Json;

namespace Medley.Sdk.Testing;

/// <summary>One strategy of a plugin that passed <see cref="PluginConformance.CheckManifest"/>: its declaration and its class.</summary>
/// <param name="Name">The strategy's name, as users type it.</param>
/// <param name="Kind">The contract it implements.</param>
/// <param name="Type">The class carrying <c>[MedleyStrategy(Name)]</c>.</param>
/// <param name="Roles">The roles the manifest declares for it.</param>
/// <param name="Parameters">The parameters JSON Schema the manifest declares, if any.</param>
public sealed record ConformanceStrategy(
    string Name,
    StrategyKind Kind,
    Type Type,
    IReadOnlyList<StrategyRole> Roles,
    JsonElement? Parameters);
