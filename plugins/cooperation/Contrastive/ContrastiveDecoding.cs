using Medley.Sdk;
using Medley.Sdk.Decoding;
using Microsoft.Extensions.Logging;

namespace Medley.Cooperation.Contrastive;

/// <summary>
/// Contrastive decoding with an expert and an amateur of one vocabulary. Only tokens the expert finds plausible
/// (<c>p_expert ≥ α·max p_expert</c>) can be chosen; among them the score is O'Brien &amp; Lewis's
/// <c>(1 + β)·s_expert − β·s_amateur</c> on logits, or Li et al.'s <c>log p_expert − log p_amateur</c> with the
/// amateur at its own temperature. Every other token scores −∞.
/// </summary>
/// <remarks>
/// The defaults are the papers': α = 0.1, β = 0.5, amateur temperature 0.5. O'Brien &amp; Lewis is the default
/// formulation because it degrades gracefully: β = 0 decodes exactly the expert's greedy choices.
/// Counters: <c>steps</c>, <c>single_candidate_steps</c> (the cut left one token, so the amateur had no say),
/// <c>plausible_tokens_mean</c>, <c>top_token_changed</c> (the contrastive top token differs from the expert's).
/// </remarks>
[MedleyStrategy("contrastive")]
public sealed class ContrastiveDecoding : IStepCombiner
{
    /// <summary>The role of the stronger model.</summary>
    public const string ExpertRole = "expert";

    /// <summary>The role of the weaker model.</summary>
    public const string AmateurRole = "amateur";

    /// <inheritdoc />
    public ValueTask<IStepCombination> BeginAsync(StepCombinerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        var settings = ContrastiveSettings.Read(context.Parameters);
        var expertIndex = DecodingMembers.IndexOfSingle(context.Members, ExpertRole, "contrastive", "Contrastive decoding");
        var amateurIndex = DecodingMembers.IndexOfSingle(context.Members, AmateurRole, "contrastive", "Contrastive decoding");
        var expert = context.Members[expertIndex];
        var amateur = context.Members[amateurIndex];
        var vocabularySize = expert.Model.Info.VocabularySize;
        if (amateur.Model.Info.VocabularySize != vocabularySize)
        {
            throw new MedleyException(
                "contrastive.vocabulary.mismatch",
                $"Contrastive decoding compares the members token by token, so they must share a vocabulary: expert '{expert.Name}' has {vocabularySize} logits " +
                $"(tokenizer: {expert.Model.Tokenizer.Description}), amateur '{amateur.Name}' has {amateur.Model.Info.VocabularySize} " +
                $"(tokenizer: {amateur.Model.Tokenizer.Description}).");
        }

        if (!string.Equals(expert.Model.Tokenizer.VocabularyFingerprint, amateur.Model.Tokenizer.VocabularyFingerprint, StringComparison.Ordinal))
        {
            // Equal widths with different fingerprints is usually a chat variant with extra special tokens; the ids
            // of ordinary text still agree, so this is worth a warning, not a refusal.
            context.Logger.LogWarning(
                "Contrastive decoding: expert '{Expert}' ({ExpertTokenizer}) and amateur '{Amateur}' ({AmateurTokenizer}) have equally many tokens but different tokenizers.",
                expert.Name,
                expert.Model.Tokenizer.Description,
                amateur.Name,
                amateur.Model.Tokenizer.Description);
        }

        return ValueTask.FromResult<IStepCombination>(
            new ContrastiveCombination(settings, expertIndex, amateurIndex, vocabularySize, context.Counters));
    }
}
