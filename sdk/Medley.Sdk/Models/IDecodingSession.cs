namespace Medley.Sdk.Models;

/// <summary>
/// One sequence being decoded by one model: it keeps the KV cache of every token appended so far.
/// Not thread-safe; use <see cref="Fork"/> for parallel candidates.
/// </summary>
public interface IDecodingSession : IDisposable
{
    /// <summary>The model this session runs.</summary>
    ICausalLanguageModel Model { get; }

    /// <summary>Tokens in the cache.</summary>
    int Length { get; }

    /// <summary>The tokens in the cache, oldest first.</summary>
    IReadOnlyList<int> Tokens { get; }

    /// <summary>Runs the model over new tokens, extending the cache, and returns their logits.</summary>
    /// <param name="tokens">Tokens to append; at least one.</param>
    /// <param name="scope">Logits for the last position only, or for every appended position.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The logits.</returns>
    ValueTask<Logits> AppendAsync(ReadOnlyMemory<int> tokens, LogitsScope scope = LogitsScope.Last, CancellationToken cancellationToken = default);

    /// <summary>Drops cached tokens past <paramref name="length"/>, as if they had never been appended.</summary>
    /// <param name="length">New length, between 0 and <see cref="Length"/>.</param>
    void Rewind(int length);

    /// <summary>An independent copy of this session (same cache, separate future).</summary>
    /// <returns>The copy; dispose it separately.</returns>
    IDecodingSession Fork();
}
