using System.Diagnostics;
using System.Runtime.CompilerServices;
using Medley.Host.Runtime;
using Medley.Host.Sampling;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;
using Microsoft.Extensions.Logging;

namespace Medley.Host.Running;

/// <summary>
/// Runs prompts through a planned strategy over loaded members: the host's own loop for step combiners, the
/// strategy's loop (with the host's limits) for decoding strategies.
/// </summary>
public sealed class StrategyRunner
{
    private readonly RunPlan _plan;
    private readonly LoadedMembers _members;
    private readonly ILogger _logger;

    /// <summary>Creates a runner; for step strategies, checks that the members share a vocabulary.</summary>
    /// <param name="plan">The checked strategy and config.</param>
    /// <param name="members">The loaded members, in the config's order.</param>
    /// <param name="logger">Given to the strategy.</param>
    /// <exception cref="MedleyException">When a step strategy's members do not share a vocabulary.</exception>
    public StrategyRunner(RunPlan plan, LoadedMembers members, ILogger logger)
    {
        _plan = plan ?? throw new ArgumentNullException(nameof(plan));
        _members = members ?? throw new ArgumentNullException(nameof(members));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        if (plan.Strategy.Kind == StrategyKind.Step)
        {
            CheckSharedVocabulary();
        }
    }

    /// <summary>Generates from one prompt, streaming text as it is decided.</summary>
    /// <param name="prompt">The prompt (encoded with the first member's tokenizer, with its special tokens).</param>
    /// <param name="statistics">Filled in as the run goes.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The text, piece by piece.</returns>
    public IAsyncEnumerable<TokenEvent> RunAsync(string prompt, RunStatistics statistics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(statistics);
        statistics.Strategy = _plan.Strategy.Name;
        statistics.Kind = StrategyKinds.ToName(_plan.Strategy.Kind);
        foreach (var model in _members.Models)
        {
            model.Forward.Reset();
        }

        return _plan.Implementation is IStepCombiner combiner
            ? StepAsync(combiner, prompt, statistics, cancellationToken)
            : DecodeAsync((IDecodingStrategy)_plan.Implementation, prompt, statistics, cancellationToken);
    }

    private async IAsyncEnumerable<TokenEvent> StepAsync(IStepCombiner combiner, string prompt, RunStatistics statistics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var members = _members.Members;
        var tokenizer = members[0].Model.Tokenizer;
        var promptTokens = Encode(tokenizer, prompt);
        var counters = new StrategyCounters();
        var sampler = new TokenSampler(_plan.Config.Sampling);
        var maxTokens = _plan.Config.Sampling.MaxTokens;
        var stops = new StopStringMatcher(_plan.Config.Sampling.StopStrings);
        var decoder = new IncrementalTextDecoder(tokenizer);
        var eos = tokenizer.EosTokenIds.ToHashSet();
        var context = members.Select(m => m.Model.Info.ContextLength).OfType<int>().DefaultIfEmpty(int.MaxValue).Min();
        statistics.Seed = sampler.Seed;
        statistics.PromptTokens = promptTokens.Length;
        statistics.StopReason = "max-tokens";

        var clock = Stopwatch.StartNew();
        var sessions = members.Select(m => m.Model.CreateSession()).ToList();
        try
        {
            using var combination = await combiner.BeginAsync(
                new StepCombinerContext(members, promptTokens, _plan.Parameters, counters, _logger), cancellationToken).ConfigureAwait(false);
            var prefillStart = Stopwatch.GetTimestamp();
            var logits = await AppendAllAsync(sessions, promptTokens, cancellationToken).ConfigureAwait(false);
            statistics.PrefillSeconds = Stopwatch.GetElapsedTime(prefillStart).TotalSeconds;
            var width = logits[0].VocabularySize;
            var usable = Math.Min(tokenizer.VocabularySize, width);
            var scores = new float[width];
            var rows = new ReadOnlyMemory<float>[members.Count];
            var generated = new List<int>();
            var history = new List<int>(promptTokens);
            var loopTicks = 0L;
            for (var step = 0; step < maxTokens; step++)
            {
                var loopStart = Stopwatch.GetTimestamp();
                for (var i = 0; i < rows.Length; i++)
                {
                    rows[i] = logits[i].Last;
                }

                combination.Combine(new StepInput(step, generated, rows), scores);
                // Ids past the tokenizer's vocabulary (alignment padding) have no text: never sample them.
                scores.AsSpan(usable).Fill(float.NegativeInfinity);
                var token = sampler.Next(scores, history);
                loopTicks += Stopwatch.GetTimestamp() - loopStart;
                if (eos.Contains(token))
                {
                    statistics.StopReason = "eos";
                    break;
                }

                generated.Add(token);
                history.Add(token);
                statistics.GeneratedTokens++;
                var piece = stops.Append(decoder.Add(token));
                if (piece.Text.Length > 0)
                {
                    yield return new TokenEvent(piece.Text, [token]);
                }

                if (piece.Stopped)
                {
                    statistics.StopReason = "stop-string";
                    break;
                }

                if (history.Count >= context)
                {
                    statistics.StopReason = "context-length";
                    break;
                }

                if (step + 1 < maxTokens)
                {
                    logits = await AppendAllAsync(sessions, [token], cancellationToken).ConfigureAwait(false);
                }
            }

            statistics.LoopSeconds = loopTicks / (double)Stopwatch.Frequency;
        }
        finally
        {
            statistics.Seconds = clock.Elapsed.TotalSeconds;
            Finish(statistics, counters);
            foreach (var session in sessions)
            {
                session.Dispose();
            }
        }

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

    private async IAsyncEnumerable<TokenEvent> DecodeAsync(IDecodingStrategy strategy, string prompt, RunStatistics statistics, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sampling = _plan.Config.Sampling;
        var tokenizer = _members.Members[0].Model.Tokenizer;
        var counters = new StrategyCounters();
        var sampler = new TokenSampler(sampling);
        var stops = new StopStringMatcher(sampling.StopStrings);
        statistics.Seed = sampler.Seed;
        statistics.PromptTokens = Encode(tokenizer, prompt).Length;
        statistics.StopReason = "strategy";
        var context = new DecodingContext(_members.Members, prompt, _plan.Parameters, sampler, counters, _logger);

        // The strategy is stopped by cancelling its enumeration once the host's limits are reached.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        try
        {
            await foreach (var item in strategy.DecodeAsync(context, stop.Token).WithCancellation(stop.Token).ConfigureAwait(false))
            {
                var room = sampling.MaxTokens - statistics.GeneratedTokens;
                var text = item.Text;
                var ids = item.TokenIds;
                var limited = ids.Count >= room;
                if (ids.Count > room)
                {
                    // The host's max_tokens is a hard limit: keep the event's first tokens only.
                    ids = ids.Take(room).ToList();
                    text = tokenizer.Decode(ids);
                }

                statistics.GeneratedTokens += ids.Count;
                var piece = stops.Append(text);
                if (piece.Text.Length > 0)
                {
                    yield return item with { Text = piece.Text, TokenIds = ids };
                }

                if (piece.Stopped || limited)
                {
                    statistics.StopReason = piece.Stopped ? "stop-string" : "max-tokens";
                    await stop.CancelAsync().ConfigureAwait(false);
                    break;
                }
            }
        }
        finally
        {
            statistics.Seconds = clock.Elapsed.TotalSeconds;
            Finish(statistics, counters);
        }

        if (!stops.Stopped && stops.Flush() is { Length: > 0 } tail)
        {
            yield return new TokenEvent(tail, []);
        }
    }

    private static int[] Encode(ITextTokenizer tokenizer, string prompt)
    {
        var tokens = tokenizer.Encode(prompt, addSpecialTokens: true).ToArray();
        return tokens.Length > 0
            ? tokens
            : throw new MedleyException(RunErrorCodes.PromptEmpty, "The prompt encodes to no tokens: give a non-empty --prompt.");
    }

    private static async Task<Logits[]> AppendAllAsync(List<IDecodingSession> sessions, int[] tokens, CancellationToken cancellationToken)
    {
        if (sessions.Count == 1)
        {
            return [await sessions[0].AppendAsync(tokens, LogitsScope.Last, cancellationToken).ConfigureAwait(false)];
        }

        // Each member's forward pass runs on its own thread: members on different devices, or CPU members with
        // spare cores, advance together instead of one after another.
        return await Task.WhenAll(sessions.Select(session =>
            Task.Run(() => session.AppendAsync(tokens, LogitsScope.Last, cancellationToken).AsTask(), cancellationToken))).ConfigureAwait(false);
    }

    private void Finish(RunStatistics statistics, StrategyCounters counters)
    {
        statistics.Counters = counters.Snapshot();
        statistics.Members = _members.Members
            .Select((member, i) =>
            {
                var forward = _members.Models[i].Forward;
                return new MemberStatistics(member.Role, member.Name, member.Model.Info.Device, forward.Calls, forward.Tokens, forward.Seconds);
            })
            .ToList();
    }

    private void CheckSharedVocabulary()
    {
        var members = _members.Members;
        var first = members[0];
        foreach (var other in members.Skip(1))
        {
            var a = first.Model;
            var b = other.Model;
            if (a.Tokenizer.VocabularyFingerprint != b.Tokenizer.VocabularyFingerprint || a.Info.VocabularySize != b.Info.VocabularySize)
            {
                throw new MedleyException(
                    RunErrorCodes.VocabularyMismatch,
                    $"Strategy '{_plan.Strategy.Name}' combines the members' scores token by token, so they must share a vocabulary, but " +
                    $"member '{first.Name}' has tokenizer {a.Tokenizer.Description} and {a.Info.VocabularySize} logits, while " +
                    $"member '{other.Name}' has tokenizer {b.Tokenizer.Description} and {b.Info.VocabularySize} logits. " +
                    "Use a strategy for different tokenizers (union-vocab) or members with the same tokenizer.");
            }
        }
    }
}
