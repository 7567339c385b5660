using Medley.Sdk;

namespace Medley.Host.Merging.Planning;

/// <summary>One source tensor feeding an output tensor.</summary>
/// <param name="ModelName">The model as the config names it.</param>
/// <param name="TensorName">The tensor's name in that model (its layer index may differ from the output's).</param>
/// <param name="Shape">The tensor's shape in that model.</param>
/// <param name="Parameters">The per-model parameters resolved for this tensor.</param>
internal sealed record PlannedInput(string ModelName, string TensorName, IReadOnlyList<long> Shape, StrategyParameters Parameters);
