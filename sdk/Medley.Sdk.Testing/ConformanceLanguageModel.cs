using Medley.Sdk.Models;

namespace Medley.Sdk.Testing;

/// <summary>
/// A tiny in-memory causal language model for conformance checks: the logits after a prefix are seeded random numbers
/// drawn from the model's seed and the whole prefix, so they are reproducible, differ between models and positions, and
/// are the same whether a prefix is appended at once or token by token (which speculative strategies rely on). It uses
/// <see cref="ConformanceTokenizer"/>.
/// </summary>
public sealed class ConformanceLanguageModel : ICausalLanguageModel
{
    private int _sessionsCreated;

    /// <summary>Creates a model.</summary>
    /// <param name="name">The model's name.</param>
    /// <param name="seed">Picks the model's logits.</param>
    /// <param name="endOfSequenceAtLength">
    /// From this session length on, end-of-sequence is by far the likeliest token; <see langword="null"/> makes it
    /// practically impossible, so generation runs to the token limit.
    /// </param>
    public ConformanceLanguageModel(string name, ulong seed, int? endOfSequenceAtLength = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Seed = seed;
        EndOfSequenceAtLength = endOfSequenceAtLength;
        Info = new ModelInfo
        {
            Name = name,
            Location = $"memory:{name}",
            Architecture = "conformance",
            VocabularySize = ConformanceTokenizer.Instance.VocabularySize,
            LayerCount = 1,
            KeyValueHeads = 1,
            HeadSize = 1,
            ContextLength = 4096,
        };
    }

    /// <summary>The seed the logits come from.</summary>
    public ulong Seed { get; }

    /// <summary>The session length from which end-of-sequence dominates, if any.</summary>
    public int? EndOfSequenceAtLength { get; }

    /// <inheritdoc/>
    public ModelInfo Info { get; }

    /// <inheritdoc/>
    public ITextTokenizer Tokenizer => ConformanceTokenizer.Instance;

    /// <summary>Sessions created so far; lets a check see that a strategy used its members.</summary>
    public int SessionsCreated => _sessionsCreated;

    /// <inheritdoc/>
    public IDecodingSession CreateSession()
    {
        Interlocked.Increment(ref _sessionsCreated);
        return new ConformanceDecodingSession(this, []);
    }

    /// <summary>The logits that follow a prefix.</summary>
    /// <param name="prefix">The tokens so far (at least one).</param>
    /// <param name="destination">Receives one logit per vocabulary entry.</param>
    public void WriteLogits(ReadOnlySpan<int> prefix, Span<float> destination)
    {
        var hash = 14695981039346656037UL;
        foreach (var token in prefix)
        {
            hash = (hash ^ (uint)token) * 1099511628211UL;
        }

        var random = new DeterministicRandom(DeterministicRandom.Derive(Seed, unchecked((long)hash)));
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = (random.NextSingle() * 6) - 3;
        }

        // End-of-sequence is either forced or pushed far down, so a check knows when generation must stop.
        destination[ConformanceTokenizer.EndOfSequenceId] = EndOfSequenceAtLength is { } at && prefix.Length >= at ? 40 : -40;
        destination[ConformanceTokenizer.BeginningOfSequenceId] = -40;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // Nothing is held: the logits are computed on demand.
    }
}
