namespace Medley.Host.Merging.Configuration;

/// <summary>One entry of a config's <c>models:</c> list.</summary>
/// <param name="Model">The model.</param>
/// <param name="Parameters">Its per-model parameters (they act as slice source parameters, as in mergekit).</param>
internal sealed record MergeModelEntry(ModelReference Model, IReadOnlyDictionary<string, ParameterSetting> Parameters);
