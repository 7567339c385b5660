using Medley.Sdk;
using Medley.Sdk.Decoding;
using Microsoft.Extensions.Logging;

namespace Medley.Cooperation.ProxyTuning;

/// <summary>
/// Proxy-tuning: a base model steered by what a small expert learned over its untuned counterpart, the
/// anti-expert. <c>proxy</c> (Liu et al. 2024) adds <c>α·(s_expert − s_anti_expert)</c> to the base's logits;
/// <c>eft</c> (emulated fine-tuning) adds <c>β·(log p_expert − log p_anti_expert)</c> to the base's
/// log-probabilities and renormalises.
/// </summary>
/// <remarks>
/// With the weight at 0 both forms decode exactly as the base alone. Counters: <c>steps</c> and
/// <c>top_token_changed</c> (steps where the steering changed the base's top token).
/// </remarks>
[MedleyStrategy("proxy-tuning")]
public sealed class ProxyTuningStrategy : IStepCombiner
{
    /// <summary>The role of the model being steered.</summary>
    public const string BaseRole = "base";

    /// <summary>The role of the small tuned model.</summary>
    public const string ExpertRole = "expert";

    /// <summary>The role of the small untuned model.</summary>
    public const string AntiExpertRole = "anti_expert";

    /// <inheritdoc />
    public ValueTask<IStepCombination> BeginAsync(StepCombinerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        var settings = ProxyTuningSettings.Read(context.Parameters);
        var baseIndex = DecodingMembers.IndexOfSingle(context.Members, BaseRole, "proxy-tuning", "Proxy-tuning");
        var expertIndex = DecodingMembers.IndexOfSingle(context.Members, ExpertRole, "proxy-tuning", "Proxy-tuning");
        var antiExpertIndex = DecodingMembers.IndexOfSingle(context.Members, AntiExpertRole, "proxy-tuning", "Proxy-tuning");
        var baseMember = context.Members[baseIndex];
        var vocabularySize = baseMember.Model.Info.VocabularySize;
        foreach (var index in new[] { expertIndex, antiExpertIndex })
        {
            var member = context.Members[index];
            if (member.Model.Info.VocabularySize != vocabularySize)
            {
                throw new MedleyException(
                    "proxy-tuning.vocabulary.mismatch",
                    $"Proxy-tuning adds the members' scores token by token, so they must share a vocabulary: base '{baseMember.Name}' has {vocabularySize} logits " +
                    $"(tokenizer: {baseMember.Model.Tokenizer.Description}), {member.Role} '{member.Name}' has {member.Model.Info.VocabularySize} " +
                    $"(tokenizer: {member.Model.Tokenizer.Description}).");
            }

            if (!string.Equals(member.Model.Tokenizer.VocabularyFingerprint, baseMember.Model.Tokenizer.VocabularyFingerprint, StringComparison.Ordinal))
            {
                // Equal widths with different fingerprints is usually a chat variant with extra special tokens; the
                // ids of ordinary text still agree, so this is worth a warning, not a refusal.
                context.Logger.LogWarning(
                    "Proxy-tuning: base '{Base}' ({BaseTokenizer}) and {Role} '{Member}' ({MemberTokenizer}) have equally many tokens but different tokenizers.",
                    baseMember.Name,
                    baseMember.Model.Tokenizer.Description,
                    member.Role,
                    member.Name,
                    member.Model.Tokenizer.Description);
            }
        }

        return ValueTask.FromResult<IStepCombination>(
            new ProxyTuningCombination(settings, baseIndex, expertIndex, antiExpertIndex, vocabularySize, context.Counters));
    }
}
