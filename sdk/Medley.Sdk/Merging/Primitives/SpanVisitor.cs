namespace Medley.Sdk.Merging.Primitives;

/// <summary>Receives one part of a sequence of values that is produced part by part.</summary>
/// <param name="part">The values; valid only during the call.</param>
internal delegate void SpanVisitor(ReadOnlySpan<float> part);
