using Medley.Sdk.Models;

namespace Medley.Sdk.Testing;

/// <summary>A session of a <see cref="ConformanceLanguageModel"/>: the token list, with logits computed from it on demand.</summary>
internal sealed class ConformanceDecodingSession : IDecodingSession
{
    private readonly ConformanceLanguageModel _model;
    private readonly List<int> _tokens;

    public ConformanceDecodingSession(ConformanceLanguageModel model, IEnumerable<int> tokens)
    {
        _model = model;
        _tokens = [.. tokens];
    }

    public ICausalLanguageModel Model => _model;

    public int Length => _tokens.Count;

    public IReadOnlyList<int> Tokens => _tokens;

    public ValueTask<Logits> AppendAsync(ReadOnlyMemory<int> tokens, LogitsScope scope = LogitsScope.Last, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var vocabulary = _model.Info.VocabularySize;
        var span = tokens.Span;
        if (span.Length == 0)
        {
            throw new ArgumentException("AppendAsync needs at least one token.", nameof(tokens));
        }

        foreach (var token in span)
        {
            if (token < 0 || token >= vocabulary)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), token, $"Token ids of model '{_model.Info.Name}' lie in [0, {vocabulary}).");
            }
        }

        var start = _tokens.Count;
        _tokens.AddRange(span);
        var positions = scope == LogitsScope.All ? span.Length : 1;
        var values = new float[positions * vocabulary];
        var all = _tokens.ToArray();
        for (var p = 0; p < positions; p++)
        {
            var prefixLength = scope == LogitsScope.All ? start + p + 1 : all.Length;
            _model.WriteLogits(all.AsSpan(0, prefixLength), values.AsSpan(p * vocabulary, vocabulary));
        }

        return ValueTask.FromResult(new Logits(values, positions, vocabulary));
    }

    public void Rewind(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _tokens.Count);
        _tokens.RemoveRange(length, _tokens.Count - length);
    }

    public IDecodingSession Fork() => new ConformanceDecodingSession(_model, _tokens);

    public void Dispose()
    {
        // Nothing is held.
    }
}
