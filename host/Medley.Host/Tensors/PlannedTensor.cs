namespace Medley.Host.Tensors;

/// <summary>A tensor of a writer's plan: where it goes and how much of it has been written.</summary>
internal sealed class PlannedTensor(TensorPlanEntry entry, long elementCount, long byteLength)
{
    public TensorPlanEntry Entry { get; } = entry;

    public long ElementCount { get; } = elementCount;

    public long ByteLength { get; } = byteLength;

    /// <summary>The shard that holds the tensor; set when the shard is planned.</summary>
    public Shard Shard { get; set; } = null!;

    /// <summary>Start of the tensor's bytes relative to its shard's data section.</summary>
    public long DataBegin { get; set; }

    /// <summary>Bytes claimed by writes so far; guarded by the writer's lock.</summary>
    public long BytesWritten { get; set; }
}
