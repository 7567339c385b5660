using System.Text.Json;
using Medley.Host.Merging.Configuration;
using Medley.Sdk.Merging;

namespace Medley.MergeConfig.Tests;

/// <summary>Method descriptions shaped like the real plugins' (traits and parameter schemas), for config tests.</summary>
internal static class FakeMethods
{
    internal static MergeMethodInfo Ties { get; } = new(
        "ties",
        new MergeMethodTraits { BaseModel = BaseModelUse.Required, MinModels = 1, PerModelParameters = ["weight", "density"] },
        Schema("""
            {"type": "object", "additionalProperties": false, "required": ["weight"],
             "properties": {"weight": {"type": "number"}, "density": {"type": "number"}, "lambda": {"type": "number"},
                            "normalize": {"type": "boolean"}, "int8_mask": {"type": "boolean"}}}
            """));

    internal static MergeMethodInfo Slerp { get; } = new(
        "slerp",
        new MergeMethodTraits { BaseModel = BaseModelUse.Required, MinModels = 1, MaxModels = 1 },
        Schema("""{"type": "object", "additionalProperties": false, "required": ["t"], "properties": {"t": {"type": "number"}}}"""));

    internal static MergeMethodInfo Passthrough { get; } = new(
        "passthrough",
        new MergeMethodTraits { BaseModel = BaseModelUse.None, MinModels = 1, MaxModels = 1, PerModelParameters = ["scale"] },
        Schema("""{"type": "object", "additionalProperties": false, "properties": {"scale": {"type": "number"}}}"""));

    internal static MergeMethodInfo Linear { get; } = new(
        "linear",
        new MergeMethodTraits { BaseModel = BaseModelUse.None, MinModels = 1, PerModelParameters = ["weight"], AllowsEmbeddingResize = false },
        Schema("""{"type": "object", "required": ["weight"], "properties": {"weight": {"type": "number"}, "normalize": {"type": "boolean"}}}"""));

    internal static MergeMethodInfo Della { get; } = new(
        "della",
        new MergeMethodTraits { BaseModel = BaseModelUse.Required, PerModelParameters = ["weight", "density", "epsilon"] },
        Schema("""{"type": "object", "properties": {"weight": {"type": "number"}, "density": {"type": "number"}, "epsilon": {"type": "number"}}}"""),
        (global, models) => models
            .Select((m, i) => (Density: m.GetDouble("density", 1), Epsilon: m.GetDouble("epsilon", 0.15), Index: i))
            .Where(m => m.Density - m.Epsilon <= 0 || m.Density + m.Epsilon >= 1)
            .Select(m => $"model {m.Index}: density ± epsilon must lie strictly between 0 and 1, got {m.Density} ± {m.Epsilon}")
            .ToList());

    internal static MergeMethodCatalog Catalog { get; } = new([Ties, Slerp, Passthrough, Linear, Della]);

    private static JsonElement Schema(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
