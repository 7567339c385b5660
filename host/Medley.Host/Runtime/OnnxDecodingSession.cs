using Medley.Sdk;
using Medley.Sdk.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Medley.Host.Runtime;

/// <summary>
/// One sequence decoded by an <see cref="OnnxCausalLanguageModel"/>. The KV cache lives in the
/// <see cref="OrtValue"/>s the last run returned: each run's present.* outputs become the next run's
/// past_key_values.* inputs as they are, without a copy. Rewind and fork copy (truncated) tensors.
/// </summary>
public sealed class OnnxDecodingSession : IDecodingSession
{
    private readonly InferenceSession _session;
    private readonly DecoderModelLayout _layout;
    private readonly OnnxCausalLanguageModel? _owner;
    private readonly int _vocabularySize;
    private readonly List<int> _tokens = [];
    private OrtValue[] _cache;
    private bool _disposed;

    internal OnnxDecodingSession(OnnxCausalLanguageModel model)
        : this(model.Session, model.Layout, model.Info.VocabularySize, model)
    {
    }

    internal OnnxDecodingSession(InferenceSession session, DecoderModelLayout layout, int vocabularySize, OnnxCausalLanguageModel? owner = null)
    {
        _session = session;
        _layout = layout;
        _vocabularySize = vocabularySize;
        _owner = owner;
        _cache = EmptyCache();
    }

    /// <inheritdoc />
    public ICausalLanguageModel Model => _owner ?? throw new InvalidOperationException("This session probes a model that is still loading.");

    /// <inheritdoc />
    public int Length => _tokens.Count;

    /// <inheritdoc />
    public IReadOnlyList<int> Tokens => _tokens;

    /// <inheritdoc />
    public ValueTask<Logits> AppendAsync(ReadOnlyMemory<int> tokens, LogitsScope scope = LogitsScope.Last, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("At least one token must be appended.", nameof(tokens));
        }

        foreach (var token in tokens.Span)
        {
            if ((uint)token >= (uint)_vocabularySize)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), token, $"Token ids must lie in [0, {_vocabularySize}).");
            }
        }

        if (_owner?.Info.ContextLength is { } context && Length + tokens.Length > context)
        {
            throw new MedleyException(
                OnnxRuntimeErrorCodes.ContextExceeded,
                $"Appending {tokens.Length} token(s) to {Length} would exceed the context length {context} of {_owner.File}.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var outputs = new DisposableOutputs(Run(tokens.Span, cancellationToken));
        var logits = outputs.Values[0];
        var count = tokens.Length;
        var width = (int)logits.GetTensorTypeAndShape().Shape[2];
        if (width != _vocabularySize)
        {
            throw new MedleyException(
                OnnxRuntimeErrorCodes.VocabularyMismatch,
                $"{_owner?.File}: the logits have {width} columns but the model was loaded with a vocabulary of {_vocabularySize}.");
        }

        var rows = scope == LogitsScope.All ? count : 1;
        var values = CacheTensors.CopyLogitsRows(logits, count - rows, rows, width);
        ReplaceCache(outputs.TakeCache());
        foreach (var token in tokens.Span)
        {
            _tokens.Add(token);
        }

        return ValueTask.FromResult(new Logits(values, rows, width));
    }

    /// <inheritdoc />
    public void Rewind(int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Length);
        if (length == Length)
        {
            return;
        }

        ReplaceCache(length == 0 ? EmptyCache() : _cache.Select(value => CacheTensors.Truncate(value, length)).ToArray());
        _tokens.RemoveRange(length, _tokens.Count - length);
    }

    /// <inheritdoc />
    public IDecodingSession Fork()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var copy = new OnnxDecodingSession(_session, _layout, _vocabularySize, _owner);
        copy.ReplaceCache(_cache.Select(value => CacheTensors.Truncate(value, Length)).ToArray());
        copy._tokens.AddRange(_tokens);
        return copy;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var value in _cache)
        {
            value.Dispose();
        }

        _cache = [];
    }

    internal int RunForWidth()
    {
        using var outputs = new DisposableOutputs(Run([0], CancellationToken.None));
        return (int)outputs.Values[0].GetTensorTypeAndShape().Shape[2];
    }

    private IDisposableReadOnlyCollection<OrtValue> Run(ReadOnlySpan<int> tokens, CancellationToken cancellationToken)
    {
        var count = tokens.Length;
        var past = Length;
        var names = new List<string>(_cache.Length + 4);
        var values = new List<OrtValue>(_cache.Length + 4);
        var owned = new List<OrtValue>(4);
        void Feed(string name, OrtValue value, bool own)
        {
            names.Add(name);
            values.Add(value);
            if (own)
            {
                owned.Add(value);
            }
        }

        try
        {
            var ids = new long[count];
            var positions = new long[count];
            for (var i = 0; i < count; i++)
            {
                ids[i] = tokens[i];
                positions[i] = past + i;
            }

            Feed(DecoderTensorNames.InputIds, OrtValue.CreateTensorValueFromMemory(ids, [1, count]), own: true);
            if (_layout.HasAttentionMask)
            {
                var mask = new long[past + count];
                Array.Fill(mask, 1L);
                Feed(DecoderTensorNames.AttentionMask, OrtValue.CreateTensorValueFromMemory(mask, [1, past + count]), own: true);
            }

            if (_layout.HasPositionIds)
            {
                Feed(DecoderTensorNames.PositionIds, OrtValue.CreateTensorValueFromMemory(positions, [1, count]), own: true);
            }

            if (_layout.HasUseCacheBranch)
            {
                Feed(DecoderTensorNames.UseCacheBranch, OrtValue.CreateTensorValueFromMemory(new[] { past > 0 }, [1]), own: true);
            }

            for (var i = 0; i < _cache.Length; i++)
            {
                Feed(_layout.PastNames[i], _cache[i], own: false);
            }

            var outputNames = new List<string>(_cache.Length + 1) { DecoderTensorNames.Logits };
            outputNames.AddRange(_layout.PresentNames);
            using var runOptions = new RunOptions();
            using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
            try
            {
                return _session.Run(runOptions, names, values, outputNames);
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new MedleyException(
                    OnnxRuntimeErrorCodes.RunFailed,
                    $"ONNX Runtime failed running {_owner?.File ?? "the model"} on {count} token(s) after {past}: {ex.Message}",
                    MedleyErrorKind.Failure,
                    innerException: ex);
            }
        }
        finally
        {
            foreach (var value in owned)
            {
                value.Dispose();
            }
        }
    }

    private OrtValue[] EmptyCache() =>
        _layout.PastNames.Select(_ => CacheTensors.Empty(_layout.CacheType, _layout.KeyValueHeads, _layout.HeadSize)).ToArray();

    private void ReplaceCache(OrtValue[] cache)
    {
        foreach (var value in _cache)
        {
            value.Dispose();
        }

        _cache = cache;
    }

    /// <summary>A run's outputs: logits first, then the cache, which the session may take over.</summary>
    private sealed class DisposableOutputs(IDisposableReadOnlyCollection<OrtValue> outputs) : IDisposable
    {
        private bool _cacheTaken;

        public IReadOnlyList<OrtValue> Values { get; } = outputs.ToList();

        public OrtValue[] TakeCache()
        {
            _cacheTaken = true;
            return Values.Skip(1).ToArray();
        }

        public void Dispose()
        {
            foreach (var value in _cacheTaken ? Values.Take(1) : Values)
            {
                value.Dispose();
            }
        }
    }
}
