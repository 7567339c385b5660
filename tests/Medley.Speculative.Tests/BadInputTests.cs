using Medley.Cooperation.Speculative;
using Medley.Host.Sampling;
using Medley.Runtime.Tests;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medley.Speculative.Tests;

[Collection(ModelCollection.Name)]
public sealed class BadInputTests(SpeculativeModels models)
{
    private static readonly SamplingOptions Greedy = new() { Temperature = 0, MaxTokens = 4 };

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_draft_length_below_one_is_refused(int draftTokens)
    {
        var error = Refused(SpeculativeRun.Context(models.Target, models.PerturbedDraft, "ab", Greedy, SpeculativeRun.Parameters(draftTokens, "fixed")));

        Assert.Equal("parameter.invalid", error.Code);
        Assert.Equal($"Parameter 'draft_tokens' is {draftTokens}: expected a whole number >= 1 (the tokens the draft proposes per round).", error.Message);
    }

    [Fact]
    public void A_draft_with_another_vocabulary_is_refused_naming_both_models()
    {
        using var otherVocabulary = ModelFixtures.Load(models.TargetPath, tokenizerVocabulary: 48);

        var error = Refused(SpeculativeRun.Context(models.Target, otherVocabulary, "ab", Greedy, StrategyParameters.Empty));

        Assert.Equal("speculative.vocabulary.mismatch", error.Code);
        Assert.Equal(
            "The target 'big' (test tokenizer (64 tokens)) and the draft 'small' (test tokenizer (48 tokens)) do not share a vocabulary: "
            + "speculative decoding needs a draft that uses the target's tokenizer.",
            error.Message);
    }

    [Fact]
    public void A_missing_draft_is_refused()
    {
        var context = new DecodingContext(
            [new DecodingMember("target", "big", models.Target, StrategyParameters.Empty)],
            "ab",
            StrategyParameters.Empty,
            new TokenSampler(Greedy),
            new StrategyCounters(),
            NullLogger.Instance);

        var error = Refused(context);

        Assert.Equal("speculative.role.missing", error.Code);
        Assert.Equal("Speculative decoding needs one model in role 'draft'; the members are 'big' as target.", error.Message);
    }

    [Theory]
    [InlineData("""{"schedule": "adaptive"}""", "Parameter 'schedule' is \"adaptive\": expected \"fixed\", \"heuristic\" or \"confidence\".")]
    [InlineData("""{"draft_tokens": 6, "max_draft_tokens": 5}""", "Parameter 'max_draft_tokens' is 5: expected at least draft_tokens (6).")]
    [InlineData("""{"confidence_threshold": 1}""", "Parameter 'confidence_threshold' is 1: expected a probability strictly between 0 and 1.")]
    public void Other_invalid_parameters_are_refused(string json, string message)
    {
        var error = Refused(SpeculativeRun.Context(models.Target, models.PerturbedDraft, "ab", Greedy, StrategyParameters.FromJson(json)));

        Assert.Equal("parameter.invalid", error.Code);
        Assert.Equal(message, error.Message);
    }

    private static MedleyException Refused(DecodingContext context) =>
        Assert.Throws<MedleyException>(() => new SpeculativeDecodingStrategy().DecodeAsync(context, CancellationToken.None));
}
