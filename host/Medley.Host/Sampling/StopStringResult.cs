namespace Medley.Host.Sampling;

/// <summary>What a <see cref="StopStringMatcher"/> lets through after one piece of text.</summary>
/// <param name="Text">Text safe to emit now (everything before a stop string when one was hit).</param>
/// <param name="Stopped">Whether a stop string was hit, so generation should end.</param>
public readonly record struct StopStringResult(string Text, bool Stopped);
