using Medley.Sdk;
using Medley.Sdk.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Medley.Host.Runtime;

/// <summary>
/// One sequence decoded by an <see cref="OnnxCausalLanguageModel"/>. The KV cache lives in the
/// <see cref="OrtValue"/>s the last run returned: each run's present.* outputs become the next run's
/// past_key_values.* inputs as they are, without a copy, and a fork holds the same tensors.
/// In CPU memory a rewind truncates the tensors. A cache bound to device memory (CUDA) cannot be sliced
/// from here, so a rewind masks the dropped slots out of attention instead, and once dead slots outnumber
/// live ones the next append rebuilds the cache from the live tokens in the same pass.
/// </summary>
public sealed class OnnxDecodingSession : IDecodingSession
{
    // Below this many dead slots a rebuild costs more than attending over them.
    private const int DeadSlotsBeforeRebuild = 64;

    private readonly InferenceSession _session;
    private readonly DecoderModelLayout _layout;
    private readonly OnnxCausalLanguageModel? _owner;
    private readonly OrtMemoryInfo? _cacheMemory;
    private readonly int _vocabularySize;
    private readonly List<int> _tokens = [];

    // One flag per cache slot: false where a masked rewind dropped the token. Always all true for an unbound cache.
    private readonly List<bool> _liveSlots = [];
    private KvCache _cache;
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
        _cacheMemory = owner?.CacheMemory;
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
        var rebuild = DeadSlots > Math.Max(DeadSlotsBeforeRebuild, Length);
        var fed = rebuild ? [.. _tokens, .. tokens.Span] : tokens.ToArray();
        using var outputs = new DisposableOutputs(Run(fed, rebuild, cancellationToken));
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
        var values = CacheTensors.CopyLogitsRows(logits, fed.Length - rows, rows, width);
        ReplaceCache(new KvCache(outputs.TakeCache()));
        if (rebuild)
        {
            _liveSlots.Clear();
            _liveSlots.AddRange(Enumerable.Repeat(true, _tokens.Count));
        }

        foreach (var token in tokens.Span)
        {
            _tokens.Add(token);
            _liveSlots.Add(true);
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

        _tokens.RemoveRange(length, _tokens.Count - length);
        if (length == 0)
        {
            ReplaceCache(EmptyCache());
            _liveSlots.Clear();
        }
        else if (_cacheMemory is null)
        {
            ReplaceCache(new KvCache(_cache.Values.Select(value => CacheTensors.Truncate(value, length)).ToArray()));
            _liveSlots.RemoveRange(length, _liveSlots.Count - length);
        }
        else
        {
            // Keep the first `length` live slots; every later one is masked out from now on.
            var live = 0;
            for (var slot = 0; slot < _liveSlots.Count; slot++)
            {
                if (_liveSlots[slot] && ++live > length)
                {
                    _liveSlots[slot] = false;
                }
            }
        }
    }

    /// <summary>Where the cache's tensors are held, as ONNX Runtime names the memory (<c>Cpu</c>, <c>Cuda</c>).</summary>
    public string CacheMemory
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _cache.Values.Count == 0 ? "Cpu" : _cache.Values[0].GetTensorMemoryInfo().Name;
        }
    }

    /// <summary>Cache slots masked out by rewinds and not yet reclaimed.</summary>
    public int DeadSlots => _liveSlots.Count - _tokens.Count;

    /// <inheritdoc />
    public IDecodingSession Fork()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var copy = new OnnxDecodingSession(_session, _layout, _vocabularySize, _owner);
        copy.ReplaceCache(_cache.Share());
        copy._tokens.AddRange(_tokens);
        copy._liveSlots.AddRange(_liveSlots);
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
        _cache.Release();
    }

    internal int RunForWidth()
    {
        using var outputs = new DisposableOutputs(Run([0], rebuild: false, CancellationToken.None));
        return (int)outputs.Values[0].GetTensorTypeAndShape().Shape[2];
    }

    private IDisposableReadOnlyCollection<OrtValue> Run(ReadOnlySpan<int> tokens, bool rebuild, CancellationToken cancellationToken)
    {
        var count = tokens.Length;
        var cache = rebuild ? null : _cache;
        var slots = cache is null ? 0 : _liveSlots.Count;
        var firstPosition = rebuild ? 0 : Length;
        var names = new List<string>(_layout.PastNames.Count + 4);
        var values = new List<OrtValue>(_layout.PastNames.Count + 4);
        var owned = new List<OrtValue>(4 + _layout.PastNames.Count);
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
                positions[i] = firstPosition + i;
            }

            Feed(DecoderTensorNames.InputIds, OrtValue.CreateTensorValueFromMemory(ids, [1, count]), own: true);
            if (_layout.HasAttentionMask)
            {
                var mask = new long[slots + count];
                for (var slot = 0; slot < mask.Length; slot++)
                {
                    mask[slot] = slot >= slots || _liveSlots[slot] ? 1L : 0L;
                }

                Feed(DecoderTensorNames.AttentionMask, OrtValue.CreateTensorValueFromMemory(mask, [1, slots + count]), own: true);
            }

            if (_layout.HasPositionIds)
            {
                Feed(DecoderTensorNames.PositionIds, OrtValue.CreateTensorValueFromMemory(positions, [1, count]), own: true);
            }

            if (_layout.HasUseCacheBranch)
            {
                Feed(DecoderTensorNames.UseCacheBranch, OrtValue.CreateTensorValueFromMemory(new[] { slots > 0 }, [1]), own: true);
            }

            for (var i = 0; i < _layout.PastNames.Count; i++)
            {
                var past = cache?.Values[i] ?? EmptyTensor();
                Feed(_layout.PastNames[i], past, own: cache is null);
            }

            var outputNames = new List<string>(_layout.PresentNames.Count + 1) { DecoderTensorNames.Logits };
            outputNames.AddRange(_layout.PresentNames);
            using var runOptions = new RunOptions();
            using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
            try
            {
                return _cacheMemory is null
                    ? _session.Run(runOptions, names, values, outputNames)
                    : RunBound(runOptions, names, values, outputNames);
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new MedleyException(
                    OnnxRuntimeErrorCodes.RunFailed,
                    $"ONNX Runtime failed running {_owner?.File ?? "the model"} on {count} token(s) after {firstPosition}: {ex.Message}",
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

    // Logits come back to CPU memory (the sampler reads them); the present tensors stay where the cache lives.
    private IDisposableReadOnlyCollection<OrtValue> RunBound(RunOptions runOptions, List<string> names, List<OrtValue> values, List<string> outputNames)
    {
        using var binding = _session.CreateIoBinding();
        for (var i = 0; i < names.Count; i++)
        {
            binding.BindInput(names[i], values[i]);
        }

        binding.BindOutputToDevice(outputNames[0], OrtMemoryInfo.DefaultInstance);
        for (var i = 1; i < outputNames.Count; i++)
        {
            binding.BindOutputToDevice(outputNames[i], _cacheMemory!);
        }

        return _session.RunWithBoundResults(runOptions, binding);
    }

    private OrtValue EmptyTensor() => CacheTensors.Empty(_layout.CacheType, _layout.KeyValueHeads, _layout.HeadSize);

    private KvCache EmptyCache() => new(_layout.PastNames.Select(_ => EmptyTensor()).ToArray());

    private void ReplaceCache(KvCache cache)
    {
        _cache.Release();
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
