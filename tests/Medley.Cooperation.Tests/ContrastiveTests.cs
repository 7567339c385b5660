using CsCheck;
using Medley.Cooperation.Contrastive;
using Medley.Cooperation.Tests.Support;
using Medley.Sdk;
using Medley.Sdk.Decoding;

namespace Medley.Cooperation.Tests;

/// <summary>Contrastive scores on synthetic logits: hand-checked cases, the reference formulas, edge cases, bad members.</summary>
public sealed class ContrastiveTests
{
    private static readonly DecodingMember[] Pair = [Steps.Synthetic("expert"), Steps.Synthetic("amateur")];

    [Fact]
    public void OBrien_scores_the_plausible_tokens_and_rules_out_the_rest()
    {
        // α = 0.1: threshold 2 + ln 0.1 = -0.3026, so token 3 (logit -3) is cut. Scores 1.5·e - 0.5·a.
        var counters = new StrategyCounters();
        using var combination = Steps.Begin(new ContrastiveDecoding(), Pair, """{"alpha":0.1,"beta":0.5}""", counters);
        var scores = Steps.Combine(combination, [2f, 1f, 0f, -3f], [4f, 0f, -1f, 0f]);

        Assert.Equal([1.0f, 1.5f, 0.5f, float.NegativeInfinity], scores);
        Assert.Equal(1, counters.Get("steps"));
        Assert.Equal(3, counters.Get("plausible_tokens_mean"));
        Assert.Equal(1, counters.Get("top_token_changed"));
        Assert.Equal(0, counters.Get("single_candidate_steps"));
    }

    [Fact]
    public void Li_subtracts_the_amateur_log_probabilities_at_its_temperature()
    {
        // Expert p = (0.5, 0.3, 0.15, 0.05); α = 0.2 keeps p ≥ 0.1, cutting token 3. The amateur's logits are
        // 0.5·ln q, so at temperature 0.5 its distribution is q = (0.6, 0.25, 0.05, 0.1).
        using var combination = Steps.Begin(new ContrastiveDecoding(), Pair, """{"formulation":"li","alpha":0.2,"amateur_temperature":0.5}""");
        var amateur = Steps.Ln(0.6, 0.25, 0.05, 0.1).Select(v => v * 0.5f).ToArray();
        var scores = Steps.Combine(combination, Steps.Ln(0.5, 0.3, 0.15, 0.05), amateur);

        // ln(0.5/0.6), ln(0.3/0.25), ln(0.15/0.05)
        Reference.AssertClose([-0.1823216, 0.1823216, 1.0986123, double.NegativeInfinity], scores);
        Assert.Equal(2, Steps.ArgMax(scores));
    }

    [Fact]
    public void Alpha_one_leaves_only_the_expert_top_token_and_counts_it()
    {
        var counters = new StrategyCounters();
        using var combination = Steps.Begin(new ContrastiveDecoding(), Pair, """{"alpha":1}""", counters);
        var scores = Steps.Combine(combination, [0.5f, 3f, 2.9f, 1f], [9f, 9f, -9f, 0f]);

        Assert.Equal([float.NegativeInfinity, 1.5f * 3f - 4.5f, float.NegativeInfinity, float.NegativeInfinity], scores);
        Assert.Equal(1, counters.Get("single_candidate_steps"));
        Assert.Equal(0, counters.Get("top_token_changed"));
    }

    [Fact]
    public void Counters_average_the_plausible_tokens_over_the_steps()
    {
        var counters = new StrategyCounters();
        using var combination = Steps.Begin(new ContrastiveDecoding(), Pair, """{"alpha":0.5}""", counters);
        Steps.Combine(combination, [0f, 0f, 0f, 0f], [0f, 0f, 0f, 0f]);
        Steps.Combine(combination, [5f, 0f, 0f, 0f], [0f, 0f, 0f, 0f]);

        Assert.Equal(2, counters.Get("steps"));
        Assert.Equal((4 + 1) / 2.0, counters.Get("plausible_tokens_mean"));
        Assert.Equal(1, counters.Get("single_candidate_steps"));
    }

    [Fact]
    public void OBrien_agrees_with_the_reference_formula()
    {
        Gen.Select(Logits(16), Logits(16), Gen.Double[0.01, 0.9], Gen.Double[0, 3]).Sample((expert, amateur, alpha, beta) =>
        {
            var json = FormattableString.Invariant($$"""{"alpha":{{alpha}},"beta":{{beta}}}""");
            using var combination = Steps.Begin(new ContrastiveDecoding(), Members(16), json);
            Reference.AssertClose(Reference.ContrastiveOBrien(expert, amateur, alpha, beta), Steps.Combine(combination, expert, amateur));
        }, iter: 300);
    }

    [Fact]
    public void Li_agrees_with_the_reference_formula()
    {
        Gen.Select(Logits(16), Logits(16), Gen.Double[0.01, 0.9], Gen.Double[0.2, 2]).Sample((expert, amateur, alpha, temperature) =>
        {
            var json = FormattableString.Invariant($$"""{"formulation":"li","alpha":{{alpha}},"amateur_temperature":{{temperature}}}""");
            using var combination = Steps.Begin(new ContrastiveDecoding(), Members(16), json);
            Reference.AssertClose(Reference.ContrastiveLi(expert, amateur, alpha, temperature), Steps.Combine(combination, expert, amateur));
        }, iter: 300);
    }

    [Fact]
    public void Beta_zero_and_alpha_zero_give_the_expert_logits_exactly_whatever_the_amateur_says()
    {
        var amateurs = Gen.OneOf(Logits(16), Gen.Const(Enumerable.Repeat(float.NegativeInfinity, 16).ToArray()));
        Gen.Select(Logits(16), amateurs).Sample((expert, amateur) =>
        {
            using var combination = Steps.Begin(new ContrastiveDecoding(), Members(16), """{"alpha":0,"beta":0}""");
            Assert.Equal(expert, Steps.Combine(combination, expert, amateur));
        }, iter: 200);
    }

    [Fact]
    public void Beta_zero_keeps_the_expert_greedy_choice()
    {
        Gen.Select(Logits(16), Logits(16), Gen.Double[0, 1]).Sample((expert, amateur, alpha) =>
        {
            var json = FormattableString.Invariant($$"""{"alpha":{{alpha}},"beta":0}""");
            using var combination = Steps.Begin(new ContrastiveDecoding(), Members(16), json);
            Assert.Equal(Steps.ArgMax(expert), Steps.ArgMax(Steps.Combine(combination, expert, amateur)));
        }, iter: 200);
    }

    [Fact]
    public void An_amateur_equal_to_the_expert_leaves_obrien_with_the_expert_logits()
    {
        Gen.Select(Logits(16), Gen.Double[0, 3]).Sample((expert, beta) =>
        {
            var json = FormattableString.Invariant($$"""{"alpha":0,"beta":{{beta}}}""");
            using var combination = Steps.Begin(new ContrastiveDecoding(), Members(16), json);
            Reference.AssertClose(expert.Select(v => (double)v).ToArray(), Steps.Combine(combination, expert, expert), 1e-6);
        }, iter: 200);
    }

    [Fact]
    public void An_amateur_equal_to_the_expert_leaves_li_with_no_preference_at_temperature_one()
    {
        using var combination = Steps.Begin(new ContrastiveDecoding(), Pair, """{"formulation":"li","amateur_temperature":1}""");
        var scores = Steps.Combine(combination, [2f, 1f, 0f, -3f], [2f, 1f, 0f, -3f]);

        Assert.All(scores[..3], s => Assert.InRange(s, -1e-6f, 1e-6f));
        Assert.Equal(float.NegativeInfinity, scores[3]);
    }

    [Fact]
    public void An_amateur_equal_to_the_expert_makes_li_prefer_the_least_likely_plausible_token_below_temperature_one()
    {
        // score = (z - lse z) - (2z - lse 2z) = -z + const: the paper's reason for the plausibility cut.
        using var combination = Steps.Begin(new ContrastiveDecoding(), Pair, """{"formulation":"li","amateur_temperature":0.5}""");
        var scores = Steps.Combine(combination, [2f, 1f, 0f, -3f], [2f, 1f, 0f, -3f]);

        Assert.Equal(2, Steps.ArgMax(scores));
        Assert.Equal(1.0, scores[1] - scores[0], 5);
        Assert.Equal(1.0, scores[2] - scores[1], 5);
    }

    [Fact]
    public void An_expert_that_rules_out_every_token_leaves_no_token_plausible()
    {
        var counters = new StrategyCounters();
        using var combination = Steps.Begin(new ContrastiveDecoding(), Pair, "{}", counters);
        var scores = Steps.Combine(combination, Enumerable.Repeat(float.NegativeInfinity, 4).ToArray(), [1f, 2f, 3f, 4f]);

        Assert.All(scores, s => Assert.Equal(float.NegativeInfinity, s));
        Assert.Equal(-1, Steps.ArgMax(scores));
    }

    [Fact]
    public void Members_of_different_vocabulary_sizes_are_refused_with_both_named()
    {
        var members = new[] { Steps.Synthetic("expert", 64), Steps.Synthetic("amateur", 80) };
        var error = Assert.Throws<MedleyException>(() => Steps.Begin(new ContrastiveDecoding(), members, "{}"));

        Assert.Equal("contrastive.vocabulary.mismatch", error.Code);
        Assert.Contains("expert 'expert-model' has 64", error.Message, StringComparison.Ordinal);
        Assert.Contains("amateur 'amateur-model' has 80", error.Message, StringComparison.Ordinal);
        Assert.Contains("test tokenizer (64 tokens)", error.Message, StringComparison.Ordinal);
        Assert.Contains("test tokenizer (80 tokens)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Members_with_equally_many_tokens_but_different_tokenizers_are_accepted_with_a_warning()
    {
        var logger = new CapturingLogger();
        var amateur = Steps.Member("amateur", "chat", new LogitsOnlyModel("chat", 4, new ChatVariantTokenizer(4)));
        using var combination = Steps.Begin(new ContrastiveDecoding(), [Steps.Synthetic("expert"), amateur], "{}", logger: logger);

        var warning = Assert.Single(logger.Warnings);
        Assert.Contains("'expert-model' (test tokenizer (4 tokens))", warning, StringComparison.Ordinal);
        Assert.Contains("'chat' (chat variant of test tokenizer (4 tokens))", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_role_is_named()
    {
        var error = Assert.Throws<MedleyException>(() => Steps.Begin(new ContrastiveDecoding(), [Steps.Synthetic("expert")], "{}"));

        Assert.Equal("contrastive.role.missing", error.Code);
        Assert.Contains("'amateur'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'expert-model' as 'expert'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_played_twice_is_refused()
    {
        var members = new[] { Steps.Synthetic("expert"), Steps.Member("expert", "second", new LogitsOnlyModel("second", 4)), Steps.Synthetic("amateur") };
        var error = Assert.Throws<MedleyException>(() => Steps.Begin(new ContrastiveDecoding(), members, "{}"));

        Assert.Equal("contrastive.role.repeated", error.Code);
        Assert.Contains("'expert-model' and 'second'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Roles_are_found_whatever_the_member_order()
    {
        using var combination = Steps.Begin(new ContrastiveDecoding(), [Steps.Synthetic("amateur"), Steps.Synthetic("expert")], """{"alpha":0.1}""");
        var scores = Steps.Combine(combination, [4f, 0f, -1f, 0f], [2f, 1f, 0f, -3f]);

        Assert.Equal([1.0f, 1.5f, 0.5f, float.NegativeInfinity], scores);
    }

    [Theory]
    [InlineData("""{"alpha":1.5}""", "parameter.invalid", "'alpha'")]
    [InlineData("""{"alpha":-0.1}""", "parameter.invalid", "'alpha'")]
    [InlineData("""{"beta":-1}""", "parameter.invalid", "'beta'")]
    [InlineData("""{"formulation":"li","amateur_temperature":0}""", "parameter.invalid", "'amateur_temperature'")]
    [InlineData("""{"formulation":"greedy"}""", "parameter.invalid", "'formulation'")]
    [InlineData("""{"formulation":"li","beta":0.7}""", "contrastive.parameter.unused", "'beta' is 0.7")]
    [InlineData("""{"amateur_temperature":1}""", "contrastive.parameter.unused", "'amateur_temperature' is 1")]
    [InlineData("""{"alpha":"high"}""", "parameter.invalid", "'alpha'")]
    public void Bad_parameters_are_refused_when_the_request_starts(string json, string code, string named)
    {
        var error = Assert.Throws<MedleyException>(() => Steps.Begin(new ContrastiveDecoding(), Pair, json));

        Assert.Equal(code, error.Code);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"formulation":"li","alpha":0.1,"beta":0.5,"amateur_temperature":0.7}""", ContrastiveFormulation.Li, 0.5, 0.7)]
    [InlineData("""{"formulation":"obrien","alpha":0.1,"beta":0.9,"amateur_temperature":0.5}""", ContrastiveFormulation.OBrien, 0.9, 0.5)]
    public void Parameters_with_the_schema_defaults_filled_in_are_accepted(string json, ContrastiveFormulation formulation, double beta, double temperature) =>
        Assert.Equal(new ContrastiveSettings(formulation, 0.1, beta, temperature), ContrastiveSettings.Read(StrategyParameters.FromJson(json)));

    private static Gen<float[]> Logits(int size) => Gen.Float[-8f, 8f].Array[size];

    private static DecodingMember[] Members(int size) => [Steps.Synthetic("expert", size), Steps.Synthetic("amateur", size)];
}
