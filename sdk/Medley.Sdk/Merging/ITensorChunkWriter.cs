namespace Medley.Sdk.Merging;

/// <summary>The output tensor of a streaming merge, written front to back.</summary>
public interface ITensorChunkWriter
{
    /// <summary>Appends the next values of the output (row-major); the host converts them to the output dtype.</summary>
    /// <param name="values">The values that follow those already written.</param>
    void Write(ReadOnlySpan<float> values);
}
