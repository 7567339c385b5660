using Medley.Sdk;

namespace Medley.Host.Merging.Planning;

/// <summary>One output tensor and everything needed to make it.</summary>
/// <param name="OutputName">The tensor's name in the output model.</param>
/// <param name="Shape">The output shape: the base's (or, without a base, the first input's).</param>
/// <param name="MergeShape">
/// The block the method merges: equal to <paramref name="Shape"/> unless vocabulary matrices differ in size, when it is
/// the common leading sub-block of every input; the rest of the output is copied from the base (or first input).
/// </param>
/// <param name="Inputs">The non-base inputs, in config order.</param>
/// <param name="Base">The base input, when the method uses a base.</param>
/// <param name="Parameters">The global parameters resolved for this tensor.</param>
/// <param name="LayerIndex">The output layer the tensor belongs to, or <see langword="null"/> outside the layers.</param>
/// <param name="LayerPosition">The layer's position t within its slice (0 to 1) used for gradients.</param>
internal sealed record PlannedTensor(
    string OutputName,
    IReadOnlyList<long> Shape,
    IReadOnlyList<long> MergeShape,
    IReadOnlyList<PlannedInput> Inputs,
    PlannedInput? Base,
    StrategyParameters Parameters,
    int? LayerIndex,
    double LayerPosition);
