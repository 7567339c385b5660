using System.Diagnostics;
using System.Runtime.CompilerServices;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;

namespace Medley.Host.Sampling;

/// <summary>
/// The host's own decoding loop over one model, shared by <c>medley generate</c> and the local chat client so that
/// both give the same text for the same prompt and options. One instance is one generation: it owns its sampler and
/// records counts, timings and why it stopped.
/// </summary>
internal sealed class SingleModelGeneration
{
    /// <summary>The model chose an end-of-sequence token.</summary>
    public const string EndOfSequence = "eos";

    /// <summary>A stop string appeared; the text ends before it.</summary>
    public const string StopString = "stop-string";

    /// <summary>The most tokens asked for were generated.</summary>
    public const string MaxTokens = "max-tokens";

    /// <summary>The model had no position left.</summary>
    public const string ContextLength = "context-length";

    private readonly ICausalLanguageModel _model;
    private readonly SamplingOptions _sampling;
    private readonly TokenSampler _sampler;
    private readonly List<double> _tokenLogProbabilities = [];
    private readonly bool _recordTokenLogProbabilities;

    // Recording costs a pass over the vocabulary per token; only chat clients report it (medley generate does not).
    public SingleModelGeneration(ICausalLanguageModel model, SamplingOptions sampling, bool recordTokenLogProbabilities = false)
    {
        _model = model;
        _sampling = sampling;
        _sampler = new TokenSampler(sampling);
        _recordTokenLogProbabilities = recordTokenLogProbabilities;
    }

    /// <summary>The sampler's seed (the options' one, or the one drawn), to replay a sampled run.</summary>
    public ulong Seed => _sampler.Seed;

    public int PromptTokens { get; private set; }

    public double PrefillSeconds { get; private set; }

    public int GeneratedTokens { get; private set; }

    public double DecodeSeconds { get; private set; }

    /// <summary>
    /// Per generated token (the end-of-sequence token excluded), its natural log-probability under the model's own
    /// distribution, the softmax of the raw logits before any sampling transform (penalty, temperature, top-k/p), so
    /// the number measures the model's confidence whatever the request's sampling settings. Empty unless the generation
    /// was created to record them.
    /// </summary>
    public IReadOnlyList<double> TokenLogProbabilities => _tokenLogProbabilities;

    /// <summary>Why generation stopped: <c>eos</c>, <c>stop-string</c>, <c>max-tokens</c> or <c>context-length</c>.</summary>
    public string StopReason { get; private set; } = string.Empty;

    /// <summary>Decodes after <paramref name="promptTokens"/> in a session of its own, streaming text as it settles.</summary>
    public async IAsyncEnumerable<TokenEvent> RunAsync(int[] promptTokens, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tokenizer = _model.Tokenizer;
        var stops = new StopStringMatcher(_sampling.StopStrings);
        var decoder = new IncrementalTextDecoder(tokenizer);
        using var session = _model.CreateSession();

        var clock = Stopwatch.StartNew();
        var logits = await session.AppendAsync(promptTokens, LogitsScope.Last, cancellationToken).ConfigureAwait(false);
        PromptTokens = promptTokens.Length;
        PrefillSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();

        // Models often pad their vocabulary past the tokenizer's (for alignment); those ids have no text, so they
        // are never sampled.
        var usable = tokenizer.VocabularySize;
        var scores = logits.VocabularySize > usable ? new float[logits.VocabularySize] : null;
        var history = new List<int>(promptTokens);
        var eos = tokenizer.EosTokenIds.ToHashSet();
        StopReason = MaxTokens;
        for (var step = 0; step < _sampling.MaxTokens; step++)
        {
            var row = Usable(logits.Last.Span, scores, usable);
            var token = _sampler.Next(row, history);
            if (eos.Contains(token))
            {
                StopReason = EndOfSequence;
                break;
            }

            if (_recordTokenLogProbabilities)
            {
                _tokenLogProbabilities.Add(LogProbability(row, token));
            }

            history.Add(token);
            GeneratedTokens++;
            var piece = stops.Append(decoder.Add(token));
            if (piece.Text.Length > 0)
            {
                yield return new TokenEvent(piece.Text, [token]);
            }

            if (piece.Stopped)
            {
                StopReason = StopString;
                break;
            }

            if (_model.Info.ContextLength is { } context && history.Count >= context)
            {
                // The model has no position left for another token: stop as Hugging Face's generate does.
                StopReason = ContextLength;
                break;
            }

            if (step + 1 < _sampling.MaxTokens)
            {
                logits = await session.AppendAsync(new[] { token }, LogitsScope.Last, cancellationToken).ConfigureAwait(false);
            }
        }

        DecodeSeconds = clock.Elapsed.TotalSeconds;
        if (!stops.Stopped)
        {
            // Text held back (an unfinished character, a possible stop-string prefix) is released at the end.
            var tail = stops.Append(decoder.Flush()).Text + stops.Flush();
            if (tail.Length > 0)
            {
                yield return new TokenEvent(tail, []);
            }
        }
    }

    /// <summary>log softmax(row)[token], in double precision with the maximum subtracted so no exponential overflows.</summary>
    private static double LogProbability(ReadOnlySpan<float> row, int token)
    {
        var max = double.NegativeInfinity;
        foreach (var value in row)
        {
            if (value > max)
            {
                max = value;
            }
        }

        var sum = 0.0;
        foreach (var value in row)
        {
            sum += Math.Exp(value - max);
        }

        return row[token] - max - Math.Log(sum);
    }

    private static ReadOnlySpan<float> Usable(ReadOnlySpan<float> row, float[]? scores, int usable)
    {
        if (scores is null)
        {
            return row;
        }

        row[..usable].CopyTo(scores);
        scores.AsSpan(usable).Fill(float.NegativeInfinity);
        return scores;
    }
}
