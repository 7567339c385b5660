namespace Medley.Sdk.Merging;

/// <summary>One model's copy of the tensor being merged, read part by part.</summary>
/// <param name="ModelName">The model as the config names it.</param>
/// <param name="Data">Reads the tensor's values.</param>
/// <param name="Parameters">The per-model parameters resolved for this tensor (weight, density…).</param>
public sealed record StreamingMergeInput(string ModelName, ITensorChunkReader Data, StrategyParameters Parameters);
