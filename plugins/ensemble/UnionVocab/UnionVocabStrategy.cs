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
        using var run = new UnionVocabRun(context, UnionVocabSettings.Read(context));
        for (var step = 0; step < context.Sampler.Options.MaxTokens; step++)
        {
            if (await run.NextAsync(cancellationToken).ConfigureAwait(false) is not { } piece)
            {
                break;
            }

            yield return piece;
        }

        context.Logger.LogDebug("union-vocab ended: {Members}", run);
    }
}
