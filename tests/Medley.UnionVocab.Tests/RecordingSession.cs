using Medley.Sdk.Models;

namespace Medley.UnionVocab.Tests;

/// <summary>A session that remembers, after every append, the cached tokens and the last position's logits.</summary>
public sealed class RecordingSession(ICausalLanguageModel model, IDecodingSession inner) : IDecodingSession
{
    public List<(int[] Tokens, float[] Logits)> Appends { get; } = [];

    public bool Disposed { get; private set; }

    public ICausalLanguageModel Model => model;

    public int Length => inner.Length;

    public IReadOnlyList<int> Tokens => inner.Tokens;

    public async ValueTask<Logits> AppendAsync(ReadOnlyMemory<int> tokens, LogitsScope scope = LogitsScope.Last, CancellationToken cancellationToken = default)
    {
        var logits = await inner.AppendAsync(tokens, scope, cancellationToken);
        Appends.Add((inner.Tokens.ToArray(), logits.Last.ToArray()));
        return logits;
    }

    public void Rewind(int length) => inner.Rewind(length);

    public IDecodingSession Fork() => inner.Fork();

    public void Dispose()
    {
        Disposed = true;
        inner.Dispose();
    }
}
