namespace Medley.Host.Merging.Engine;

/// <summary>How a merge runs (the <c>medley merge</c> flags).</summary>
public sealed record MergeRunOptions
{
    /// <summary>The output folder.</summary>
    public required string OutputFolder { get; init; }

    /// <summary>Whether an existing output folder may be replaced.</summary>
    public bool Force { get; init; }

    /// <summary>The dtype floating-point tensors are saved in (overrides the config's <c>out_dtype</c>/<c>dtype</c>).</summary>
    public string? OutputDtype { get; init; }

    /// <summary>The largest shard, in bytes.</summary>
    public long ShardSize { get; init; } = Tensors.CheckpointWriterOptions.DefaultMaxShardBytes;

    /// <summary>Tensors merged at once at most.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Bytes of tensor buffers the merge may hold at once (inputs, output and the method's scratch).</summary>
    public long MemoryBudget { get; init; } = 8_000_000_000;

    /// <summary>Seed for random methods (DARE, DELLA); the same seed gives bit-identical output whatever the thread count.</summary>
    public ulong Seed { get; init; }
}
