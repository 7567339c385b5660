namespace Medley.Sdk.Merging.Primitives;

/// <summary>Receives one part of one of several task vectors that are produced part by part, side by side.</summary>
/// <param name="vector">Which vector the part belongs to.</param>
/// <param name="part">The values; valid only during the call.</param>
internal delegate void TaskVectorPartVisitor(int vector, ReadOnlySpan<float> part);
