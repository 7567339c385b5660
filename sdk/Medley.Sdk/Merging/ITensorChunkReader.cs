namespace Medley.Sdk.Merging;

/// <summary>One input tensor that a streaming merge reads part by part, converted to float32 by the host.</summary>
public interface ITensorChunkReader
{
    /// <summary>Converts <c>destination.Length</c> values starting at <paramref name="elementOffset"/> (row-major) into <paramref name="destination"/>.</summary>
    /// <param name="elementOffset">The first value to read.</param>
    /// <param name="destination">Receives the values.</param>
    void Read(int elementOffset, Span<float> destination);
}
