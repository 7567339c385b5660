namespace Medley.Sdk.Merging;

/// <summary>One model's copy of the tensor being merged, converted to float32 by the host.</summary>
/// <param name="ModelName">The model as the config names it.</param>
/// <param name="Data">The tensor's values in row-major order; never write to it.</param>
/// <param name="Parameters">The per-model parameters resolved for this tensor (weight, density…).</param>
public sealed record MergeInput(string ModelName, ReadOnlyMemory<float> Data, StrategyParameters Parameters);
