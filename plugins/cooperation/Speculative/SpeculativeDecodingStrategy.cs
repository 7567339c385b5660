using System.Diagnostics;
using System.Runtime.CompilerServices;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;

namespace Medley.Cooperation.Speculative;

/// <summary>
/// Speculative decoding: each round the draft proposes up to γ tokens one by one, the target scores all of them in one
/// pass, and the rejection rule keeps a prefix of them plus one token of the target's own (a correction after a
/// rejection, a bonus token when all were kept). Both distributions come from the host sampler's transforms, so the
/// output has exactly the target's distribution under the request's sampling options, and with greedy options it is
/// exactly the target's greedy output.
/// </summary>
/// <remarks>
/// Counters: <c>target_calls</c>, <c>draft_calls</c>, <c>drafted_tokens</c>, <c>accepted_tokens</c>,
/// <c>generated_tokens</c>, <c>acceptance_rate</c> (accepted / drafted), <c>mean_accepted_length</c> (accepted drafted
/// tokens per target call), <c>tokens_per_target_call</c> and <c>tokens_per_second</c> (prompt included).
/// </remarks>
[MedleyStrategy("speculative")]
public sealed class SpeculativeDecodingStrategy : IDecodingStrategy
{
    /// <summary>The role of the model whose output is produced.</summary>
    public const string TargetRole = "target";

    /// <summary>The role of the model that proposes tokens.</summary>
    public const string DraftRole = "draft";

    private readonly AcceptanceRule _rule;

    /// <summary>Creates the strategy with the exact rejection rule.</summary>
    public SpeculativeDecodingStrategy()
        : this(AcceptanceRule.Exact)
    {
    }

    internal SpeculativeDecodingStrategy(AcceptanceRule rule) => _rule = rule;

    /// <inheritdoc />
    /// <remarks>Parameters, roles and the shared vocabulary are checked here, before any model runs.</remarks>
    public IAsyncEnumerable<TokenEvent> DecodeAsync(DecodingContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = SpeculativeSettings.Read(context.Parameters);
        var target = SingleMember(context.Members, TargetRole);
        var draft = SingleMember(context.Members, DraftRole);
        var targetTokenizer = target.Model.Tokenizer;
        var draftTokenizer = draft.Model.Tokenizer;
        if (!string.Equals(targetTokenizer.VocabularyFingerprint, draftTokenizer.VocabularyFingerprint, StringComparison.Ordinal))
        {
            throw new MedleyException(
                "speculative.vocabulary.mismatch",
                $"The target '{target.Name}' ({targetTokenizer.Description}) and the draft '{draft.Name}' ({draftTokenizer.Description}) "
                + "do not share a vocabulary: speculative decoding needs a draft that uses the target's tokenizer.");
        }

        return DecodeCoreAsync(context, settings, target.Model, draft.Model, cancellationToken);
    }

    private static DecodingMember SingleMember(IReadOnlyList<DecodingMember> members, string role)
    {
        ArgumentNullException.ThrowIfNull(members);
        var matches = members.Where(m => string.Equals(m.Role, role, StringComparison.Ordinal)).ToList();
        var given = members.Count == 0 ? "none" : string.Join(", ", members.Select(m => $"'{m.Name}' as {m.Role}"));
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new MedleyException(
                "speculative.role.missing",
                $"Speculative decoding needs one model in role '{role}'; the members are {given}."),
            _ => throw new MedleyException(
                "speculative.role.multiple",
                $"Speculative decoding takes one model in role '{role}', not {matches.Count}; the members are {given}."),
        };
    }

    private static void SyncTo(IDecodingSession session, List<int> committed, out int[] missing)
    {
        // A session may hold drafted tokens past the kept prefix; the last committed token is always (re)fed so that
        // the next append returns the logits that follow it.
        var valid = Math.Min(session.Length, committed.Count - 1);
        if (valid < session.Length)
        {
            session.Rewind(valid);
        }

        missing = committed.GetRange(valid, committed.Count - valid).ToArray();
    }

    private async IAsyncEnumerable<TokenEvent> DecodeCoreAsync(
        DecodingContext context,
        SpeculativeSettings settings,
        ICausalLanguageModel targetModel,
        ICausalLanguageModel draftModel,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var tokenizer = targetModel.Tokenizer;
        var prompt = tokenizer.Encode(context.Prompt, addSpecialTokens: true);
        if (prompt.Count == 0)
        {
            throw new MedleyException("speculative.prompt.empty", "The prompt encodes to no tokens: give a non-empty prompt.");
        }

        var sampler = context.Sampler;
        var maxTokens = sampler.Options.MaxTokens;

        // Models often pad their logits past the tokenizer's vocabulary; ids without text are never drafted or sampled.
        var usable = Math.Min(tokenizer.VocabularySize, Math.Min(targetModel.Info.VocabularySize, draftModel.Info.VocabularySize));
        var contextLength = Math.Min(targetModel.Info.ContextLength ?? int.MaxValue, draftModel.Info.ContextLength ?? int.MaxValue);
        var endOfSequence = tokenizer.EosTokenIds.ToHashSet();
        var longestDraft = settings.Schedule == DraftSchedule.Heuristic ? settings.MaxDraftTokens : settings.DraftTokens;
        var draftDistributions = new float[longestDraft][];
        for (var i = 0; i < longestDraft; i++)
        {
            draftDistributions[i] = new float[usable];
        }

        var drafted = new int[longestDraft];
        var targetDistribution = new float[usable];
        var residual = new float[usable];
        var committed = new List<int>(prompt);
        var decoder = new IncrementalTextDecoder(tokenizer);
        var counters = new SpeculationCounters();
        var clock = Stopwatch.StartNew();
        using var targetSession = targetModel.CreateSession();
        using var draftSession = draftModel.CreateSession();
        var draftLength = settings.DraftTokens;
        var finished = maxTokens <= 0;
        while (!finished)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Never draft past what the round could emit: the token budget, or the shorter model's context.
            var roundLength = Math.Max(0, Math.Min(draftLength, Math.Min(maxTokens - counters.GeneratedTokens - 1, contextLength - committed.Count)));
            var draftCount = 0;
            if (roundLength > 0)
            {
                SyncTo(draftSession, committed, out var draftMissing);
                var logits = await draftSession.AppendAsync(draftMissing, LogitsScope.Last, cancellationToken).ConfigureAwait(false);
                counters.DraftCalls++;
                for (var k = 0; k < roundLength; k++)
                {
                    var row = logits.Last.Span[..usable];
                    if (settings.Schedule == DraftSchedule.Confidence && k > 0 && SpeculativeVerification.TopProbability(row) < settings.ConfidenceThreshold)
                    {
                        break;
                    }

                    // The committed list doubles as the sampler's history (repetition penalty); drafted tokens are
                    // pushed while drafting and taken off again before verification.
                    sampler.ComputeDistribution(row, committed, draftDistributions[k]);
                    drafted[k] = sampler.Sample(draftDistributions[k]);
                    committed.Add(drafted[k]);
                    draftCount++;
                    if (endOfSequence.Contains(drafted[k]) || k + 1 == roundLength)
                    {
                        break;
                    }

                    logits = await draftSession.AppendAsync(new[] { drafted[k] }, LogitsScope.Last, cancellationToken).ConfigureAwait(false);
                    counters.DraftCalls++;
                }

                committed.RemoveRange(committed.Count - draftCount, draftCount);
            }

            SyncTo(targetSession, committed, out var targetMissing);
            var verifyInput = new int[targetMissing.Length + draftCount];
            targetMissing.CopyTo(verifyInput, 0);
            Array.Copy(drafted, 0, verifyInput, targetMissing.Length, draftCount);
            var verified = await targetSession
                .AppendAsync(verifyInput, draftCount == 0 ? LogitsScope.Last : LogitsScope.All, cancellationToken)
                .ConfigureAwait(false);
            counters.TargetCalls++;
            counters.DraftedTokens += draftCount;
            var firstRow = verified.Positions - (draftCount + 1);
            var acceptedThisRound = 0;
            for (var k = 0; k <= draftCount; k++)
            {
                sampler.ComputeDistribution(verified.Row(firstRow + k).Span[..usable], committed, targetDistribution);
                int token;
                string source;
                var rejected = false;
                if (k == draftCount)
                {
                    token = sampler.Sample(targetDistribution);
                    source = TargetRole;
                }
                else if (Accepts(sampler, targetDistribution, draftDistributions[k], drafted[k]))
                {
                    token = drafted[k];
                    source = DraftRole;
                    acceptedThisRound++;
                }
                else
                {
                    token = Replacement(sampler, targetDistribution, draftDistributions[k], residual);
                    source = TargetRole;
                    rejected = true;
                }

                if (endOfSequence.Contains(token))
                {
                    finished = true;
                    break;
                }

                committed.Add(token);
                counters.GeneratedTokens++;
                yield return new TokenEvent(decoder.Add(token), [token], source);
                if (counters.GeneratedTokens >= maxTokens || committed.Count >= contextLength)
                {
                    finished = true;
                    break;
                }

                if (rejected)
                {
                    break;
                }
            }

            counters.AcceptedTokens += acceptedThisRound;
            if (draftCount == roundLength && roundLength > 0)
            {
                draftLength = settings.NextDraftLength(draftLength, allAccepted: acceptedThisRound == draftCount);
            }

            counters.Publish(context.Counters, clock.Elapsed);
        }

        // Text held back (an unfinished character) is released at the end.
        var tail = decoder.Flush();
        if (tail.Length > 0)
        {
            yield return new TokenEvent(tail, []);
        }
    }

    private bool Accepts(ITokenSampler sampler, ReadOnlySpan<float> target, ReadOnlySpan<float> draft, int token)
    {
        if (_rule == AcceptanceRule.AcceptAlways)
        {
            return true;
        }

        var probability = SpeculativeVerification.AcceptProbability(target, draft, token);

        // A uniform is drawn only when the outcome is uncertain, so greedy decoding never consumes one here.
        return probability >= 1.0 || (probability > 0 && sampler.NextUniform() < probability);
    }

    private int Replacement(ITokenSampler sampler, float[] target, float[] draft, float[] residual)
    {
        if (_rule == AcceptanceRule.ResampleFromTarget)
        {
            return sampler.Sample(target);
        }

        // The residual is empty only when p equals q up to rounding, where a rejection is itself a rounding
        // artefact; p is then the distribution the residual stands for.
        return SpeculativeVerification.Residual(target, draft, residual) > 0 ? sampler.Sample(residual) : sampler.Sample(target);
    }
}
