namespace Medley.Sdk.Decoding;

/// <summary>A piece of generated output.</summary>
/// <param name="Text">The text this event adds.</param>
/// <param name="TokenIds">The ids it came from, in the vocabulary of the strategy's primary member.</param>
/// <param name="Source">Which member or role produced it, when that is meaningful.</param>
public sealed record TokenEvent(string Text, IReadOnlyList<int> TokenIds, string? Source = null);
