using Medley.Cooperation.Contrastive;
using Medley.Cooperation.ProxyTuning;
using Medley.Cooperation.Tests.Support;
using Medley.Runtime.Tests;
using Medley.Sdk;
using Medley.Sdk.Decoding;

namespace Medley.Cooperation.Tests;

/// <summary>Both combiners driven by a greedy loop over tiny real models (ONNX, KV-cached sessions).</summary>
public sealed class RealModelTests(TinyModels models) : IClassFixture<TinyModels>
{
    private const int StepCount = 20;

    // Short enough that prompt + 20 steps fit the GPT-2 members' 32 positions.
    public static TheoryData<int[]> Prompts => [ModelFixtures.Prompt, [1, 2, 3], [40, 41], [7]];

    [Theory]
    [MemberData(nameof(Prompts))]
    public async Task Contrastive_with_beta_zero_makes_the_expert_greedy_choices(int[] prompt)
    {
        var counters = new StrategyCounters();
        var run = await GreedyLoop.CombinedAsync(new ContrastiveDecoding(), ContrastiveMembers(), """{"beta":0}""", prompt, StepCount, counters);

        Assert.Equal(await GreedyLoop.AloneAsync(models.Large, prompt, StepCount), run.Tokens);
        Assert.Equal(StepCount, counters.Get("steps"));
        Assert.Equal(0, counters.Get("top_token_changed"));
    }

    [Fact]
    public async Task Contrastive_with_the_default_beta_departs_from_the_expert_and_says_how_often()
    {
        var changed = 0.0;
        var departed = false;
        foreach (var prompt in Prompts)
        {
            var counters = new StrategyCounters();
            var run = await GreedyLoop.CombinedAsync(new ContrastiveDecoding(), ContrastiveMembers(), "{}", prompt, StepCount, counters);
            var expertTops = run.MemberLogits.Select(l => Steps.ArgMax(l[0])).ToList();
            Assert.Equal(run.Tokens.Zip(expertTops).Count(p => p.First != p.Second), counters.Get("top_token_changed"));
            changed += counters.Get("top_token_changed");
            departed |= !run.Tokens.SequenceEqual(await GreedyLoop.AloneAsync(models.Large, prompt, StepCount));
        }

        Assert.True(changed > 0, "the amateur never changed the expert's choice, so the test shows nothing");
        Assert.True(departed);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"alpha":0.3,"beta":1.5}""")]
    [InlineData("""{"formulation":"li"}""")]
    [InlineData("""{"formulation":"li","alpha":0.05,"amateur_temperature":1.0}""")]
    public async Task Contrastive_scores_on_real_logits_agree_with_the_reference(string json)
    {
        var settings = ContrastiveSettings.Read(StrategyParameters.FromJson(json));
        var run = await GreedyLoop.CombinedAsync(new ContrastiveDecoding(), ContrastiveMembers(), json, ModelFixtures.Prompt, StepCount);

        for (var step = 0; step < StepCount; step++)
        {
            var (expert, amateur) = (run.MemberLogits[step][0], run.MemberLogits[step][1]);
            var expected = settings.Formulation == ContrastiveFormulation.Li
                ? Reference.ContrastiveLi(expert, amateur, settings.Alpha, settings.AmateurTemperature)
                : Reference.ContrastiveOBrien(expert, amateur, settings.Alpha, settings.Beta);
            Reference.AssertClose(expected, run.Scores[step]);
        }
    }

    [Theory]
    [InlineData("""{"alpha":0}""")]
    [InlineData("""{"form":"eft","beta":0}""")]
    public async Task Proxy_tuning_with_zero_weight_makes_the_base_greedy_choices(string json)
    {
        foreach (var prompt in Prompts)
        {
            var counters = new StrategyCounters();
            var run = await GreedyLoop.CombinedAsync(new ProxyTuningStrategy(), ProxyMembers(), json, prompt, StepCount, counters);

            Assert.Equal(await GreedyLoop.AloneAsync(models.Large, prompt, StepCount), run.Tokens);
            Assert.Equal(0, counters.Get("top_token_changed"));
        }
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"alpha":2.5}""")]
    [InlineData("""{"form":"eft"}""")]
    [InlineData("""{"form":"eft","beta":0.5}""")]
    public async Task Proxy_tuning_scores_on_real_logits_agree_with_the_reference(string json)
    {
        var settings = ProxyTuningSettings.Read(StrategyParameters.FromJson(json));
        var counters = new StrategyCounters();
        var run = await GreedyLoop.CombinedAsync(new ProxyTuningStrategy(), ProxyMembers(), json, ModelFixtures.Prompt, StepCount, counters);

        for (var step = 0; step < StepCount; step++)
        {
            var logits = run.MemberLogits[step];
            var expected = settings.Form == ProxyTuningForm.Proxy
                ? Reference.Proxy(logits[0], logits[1], logits[2], settings.Weight)
                : Reference.Eft(logits[0], logits[1], logits[2], settings.Weight);
            Reference.AssertClose(expected, run.Scores[step]);
        }

        Assert.True(counters.Get("top_token_changed") > 0, "the small models never changed the base's choice, so the test shows nothing");
    }

    [Fact]
    public void Real_members_with_different_vocabularies_are_refused_naming_their_tokenizers()
    {
        DecodingMember[] members =
        [
            Steps.Member("base", "large", models.Large),
            Steps.Member("expert", "odd", models.OtherVocabulary),
            Steps.Member("anti_expert", "small", models.Small),
        ];
        var error = Assert.Throws<MedleyException>(() => Steps.Begin(new ProxyTuningStrategy(), members, "{}"));

        Assert.Equal("proxy-tuning.vocabulary.mismatch", error.Code);
        Assert.Contains("base 'large' has 64 logits (tokenizer: test tokenizer (64 tokens))", error.Message, StringComparison.Ordinal);
        Assert.Contains("expert 'odd' has 80 (tokenizer: test tokenizer (80 tokens))", error.Message, StringComparison.Ordinal);
    }

    private DecodingMember[] ContrastiveMembers() =>
        [Steps.Member("expert", "large", models.Large), Steps.Member("amateur", "small", models.Small)];

    private DecodingMember[] ProxyMembers() =>
    [
        Steps.Member("base", "large", models.Large),
        Steps.Member("expert", "small-tuned", models.SmallTuned),
        Steps.Member("anti_expert", "small", models.Small),
    ];
}
