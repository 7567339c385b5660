using System.Diagnostics;
using Medley.Sdk.Models;

namespace Medley.Host.Running;

/// <summary>A session that records every forward pass in its model's <see cref="ForwardCounter"/>.</summary>
internal sealed class CountingDecodingSession : IDecodingSession
{
    private readonly CountingLanguageModel _model;
    private readonly IDecodingSession _inner;

    public CountingDecodingSession(CountingLanguageModel model, IDecodingSession inner)
    {
        _model = model;
        _inner = inner;
    }

    public ICausalLanguageModel Model => _model;

    public int Length => _inner.Length;

    public IReadOnlyList<int> Tokens => _inner.Tokens;

    public async ValueTask<Logits> AppendAsync(ReadOnlyMemory<int> tokens, LogitsScope scope = LogitsScope.Last, CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        var logits = await _inner.AppendAsync(tokens, scope, cancellationToken).ConfigureAwait(false);
        _model.Forward.Record(tokens.Length, Stopwatch.GetTimestamp() - start);
        return logits;
    }

    public void Rewind(int length) => _inner.Rewind(length);

    public IDecodingSession Fork() => new CountingDecodingSession(_model, _inner.Fork());

    public void Dispose() => _inner.Dispose();
}
