using System.Runtime.CompilerServices;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using Microsoft.Extensions.Logging;

namespace Medley.Ensemble.UnionVocab;

/// <summary>
/// Cross-tokenizer ensemble in the manner of GaC and UniTE. Each step unites the members' top-k next tokens by their
/// plain text, gives every candidate the weighted average of the members' probabilities (a member that did not rank a
/// candidate contributes the probability of the first token of its own tokenization of it), samples a candidate with
/// the host's sampler and lets every member re-tokenize the whole text, rewinding its cache where a merge across the
/// old end changed earlier tokens. With <c>gate_threshold</c> the primary (first) member decodes alone while its top
/// probability is above the threshold.
/// </summary>
/// <remarks>
/// First-token probabilities cost no forward pass beyond the one every member runs per step; scoring a whole
/// multi-token candidate would need a forked session and one pass per unranked candidate and member. Tokens that
/// hold only part of a multi-byte character are not text any other vocabulary can match, so they never become
/// candidates.
/// </remarks>
[MedleyStrategy("union-vocab")]
public sealed class UnionVocabStrategy : IDecodingStrategy
{
    /// <summary>Counter: tokens of output chosen (gated and ensemble steps).</summary>
    public const string StepsCounter = "steps";

    /// <summary>Counter: steps the primary decoded alone.</summary>
    public const string GatedStepsCounter = "gated_steps";

    /// <summary>Counter: cache rewinds over all members after re-tokenization changed earlier tokens.</summary>
    public const string RewindsCounter = "rewinds";

    /// <summary>Counter: mean number of candidates every member could write, over ensemble steps.</summary>
    public const string CandidatesPerStepCounter = "candidates_per_step";

    /// <inheritdoc />
    public async IAsyncEnumerable<TokenEvent> DecodeAsync(DecodingContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = UnionVocabSettings.Read(context);
        var members = new List<EnsembleMember>(context.Members.Count);
        try
        {
            members.AddRange(context.Members.Select(member => new EnsembleMember(member)));

            var primary = members[0];
            var text = context.Prompt;
            var ensembleSteps = 0;
            var candidateTotal = 0;
            var maxTokens = context.Sampler.Options.MaxTokens;

            // After a gated step the primary's cache already holds the text in the tokens it chose itself; re-tokenizing
            // could regroup them and make the primary differ from decoding alone.
            var primaryHoldsText = false;
            for (var step = 0; step < maxTokens; step++)
            {
                if (!primaryHoldsText && !await primary.SyncAsync(text, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                TokenEvent? emitted = null;
                if (settings.GateThreshold is { } threshold && TopProbability(primary) > threshold)
                {
                    var token = context.Sampler.Next(primary.UsableScores(), primary.Tokens);
                    if (primary.Vocabulary.IsEos(token))
                    {
                        CountStep(context.Counters, gated: true);
                        break;
                    }

                    // A fragment of a multi-byte character, or text another member's tokenizer cannot write, could not
                    // be handed to the other members later: such a step goes to the ensemble instead.
                    if (primary.Vocabulary.TextOf(token) is { } piece && members.All(m => m.Vocabulary.TryGetFirstToken(piece, out _)))
                    {
                        if (!await primary.AppendOwnAsync(token, cancellationToken).ConfigureAwait(false))
                        {
                            break;
                        }

                        text += piece;
                        primaryHoldsText = true;
                        CountStep(context.Counters, gated: true);
                        emitted = new TokenEvent(piece, [token], primary.Name);
                    }
                }

                if (emitted is null)
                {
                    var synced = await SyncAllAsync(members, text, cancellationToken).ConfigureAwait(false);
                    ReportRewinds(context.Counters, members);
                    if (!synced)
                    {
                        break;
                    }

                    var union = CandidateUnion.Build(
                        [.. members.Select(m => m.Vocabulary)], settings.Weights, [.. members.Select(m => m.Probabilities())], settings.TopK);
                    ensembleSteps++;
                    candidateTotal += union.WritableCount;
                    context.Counters.Set(CandidatesPerStepCounter, (double)candidateTotal / ensembleSteps);

                    // Candidate indices change meaning every step, so there is no history for a repetition penalty.
                    var chosen = union.Texts[context.Sampler.Next(union.Scores(), [])];
                    CountStep(context.Counters, gated: false);
                    if (chosen is null)
                    {
                        break;
                    }

                    text += chosen;
                    primaryHoldsText = false;
                    emitted = new TokenEvent(chosen, primary.Vocabulary.EncodePiece(chosen));
                }

                yield return emitted;
            }

            ReportRewinds(context.Counters, members);
            context.Logger.LogDebug("union-vocab ended: {Members}", string.Join(", ", members));
        }
        finally
        {
            foreach (var member in members)
            {
                member.Dispose();
            }
        }
    }

    private static async ValueTask<bool> SyncAllAsync(List<EnsembleMember> members, string text, CancellationToken cancellationToken)
    {
        // Members have separate caches and often separate devices; a session's append runs synchronously, so each
        // member gets its own thread for the forward passes to overlap.
        var synced = await Task.WhenAll(members.Select(m => Task.Run(() => m.SyncAsync(text, cancellationToken).AsTask(), cancellationToken))).ConfigureAwait(false);
        return synced.All(s => s);
    }

    private static double TopProbability(EnsembleMember member) => member.Probabilities().Max();

    private static void CountStep(StrategyCounters counters, bool gated)
    {
        counters.Add(StepsCounter);
        counters.Add(GatedStepsCounter, gated ? 1 : 0);
    }

    private static void ReportRewinds(StrategyCounters counters, List<EnsembleMember> members) =>
        counters.Set(RewindsCounter, members.Sum(m => m.Rewinds));
}
