namespace Medley.Host.Tensors;

/// <summary>How <see cref="SafetensorsCheckpointWriter"/> lays out and places a checkpoint.</summary>
public sealed class CheckpointWriterOptions
{
    /// <summary>The default shard budget, 5 GB (decimal, as mergekit's <c>max_shard_size</c>).</summary>
    public const long DefaultMaxShardBytes = 5_000_000_000;

    /// <summary>
    /// Tensor bytes per shard before a new shard starts. A tensor larger than the budget gets a shard
    /// of its own; header bytes are not counted (as in mergekit and transformers).
    /// </summary>
    public long MaxShardBytes { get; init; } = DefaultMaxShardBytes;

    /// <summary>Entries added to every shard's <c>__metadata__</c> after <c>"format": "pt"</c> (which they may override).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether <see cref="SafetensorsCheckpointWriter.Commit"/> may replace a non-empty destination folder.</summary>
    public bool Overwrite { get; init; }
}
