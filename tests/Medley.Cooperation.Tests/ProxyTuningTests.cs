using CsCheck;
using Medley.Cooperation.ProxyTuning;
using Medley.Cooperation.Tests.Support;
using Medley.Sdk;
using Medley.Sdk.Decoding;

namespace Medley.Cooperation.Tests;

/// <summary>Proxy-tuning scores on synthetic logits: hand-checked cases, the reference formulas, edge cases, bad members.</summary>
public sealed class ProxyTuningTests
{
    private static readonly DecodingMember[] Trio = Members(3);

    [Fact]
    public void Proxy_adds_the_expert_minus_anti_expert_difference_to_the_base_logits()
    {
        using var full = Steps.Begin(new ProxyTuningStrategy(), Trio, "{}");
        using var half = Steps.Begin(new ProxyTuningStrategy(), Trio, """{"alpha":0.5}""");
        float[] baseLogits = [1f, 2f, 0f], expert = [3f, 0f, 1f], antiExpert = [1f, 1f, 1f];

        Assert.Equal([3f, 1f, 0f], Steps.Combine(full, baseLogits, expert, antiExpert));
        Assert.Equal([2f, 1.5f, 0f], Steps.Combine(half, baseLogits, expert, antiExpert));
    }

    [Fact]
    public void Eft_multiplies_the_base_distribution_by_the_likelihood_ratio_and_renormalises()
    {
        // p_base = (0.5, 0.25, 0.25), p_expert = (0.2, 0.6, 0.2), p_anti = (0.4, 0.2, 0.4): p·q/r = (0.25, 0.75, 0.125),
        // sum 1.125, so π = (2/9, 6/9, 1/9). The expert's logits are shifted by 3 to show only its distribution counts.
        using var combination = Steps.Begin(new ProxyTuningStrategy(), Trio, """{"form":"eft"}""");
        var expert = Steps.Ln(0.2, 0.6, 0.2).Select(v => v + 3f).ToArray();
        var scores = Steps.Combine(combination, Steps.Ln(0.5, 0.25, 0.25), expert, Steps.Ln(0.4, 0.2, 0.4));

        Reference.AssertClose([Math.Log(2.0 / 9), Math.Log(6.0 / 9), Math.Log(1.0 / 9)], scores);
        Assert.Equal(1.0, scores.Sum(s => Math.Exp(s)), 5);
    }

    [Fact]
    public void Proxy_agrees_with_the_reference_formula()
    {
        Gen.Select(Logits(16), Logits(16), Logits(16), Gen.Double[0, 3]).Sample((b, e, a, alpha) =>
        {
            var json = FormattableString.Invariant($$"""{"alpha":{{alpha}}}""");
            using var combination = Steps.Begin(new ProxyTuningStrategy(), Members(16), json);
            Reference.AssertClose(Reference.Proxy(b, e, a, alpha), Steps.Combine(combination, b, e, a));
        }, iter: 300);
    }

    [Fact]
    public void Eft_agrees_with_the_reference_distribution()
    {
        Gen.Select(Logits(16), Logits(16), Logits(16), Gen.Double[0, 3]).Sample((b, e, a, beta) =>
        {
            var json = FormattableString.Invariant($$"""{"form":"eft","beta":{{beta}}}""");
            using var combination = Steps.Begin(new ProxyTuningStrategy(), Members(16), json);
            Reference.AssertClose(Reference.Eft(b, e, a, beta), Steps.Combine(combination, b, e, a));
        }, iter: 300);
    }

    [Fact]
    public void Alpha_zero_gives_the_base_logits_exactly_even_where_a_small_model_rules_a_token_out()
    {
        var small = Logits(16).Select(Gen.Int[0, 15], (logits, ruledOut) =>
        {
            logits[ruledOut] = float.NegativeInfinity;
            return logits;
        });
        Gen.Select(Logits(16), small, Logits(16)).Sample((b, e, a) =>
        {
            using var combination = Steps.Begin(new ProxyTuningStrategy(), Members(16), """{"alpha":0}""");
            Assert.Equal(b, Steps.Combine(combination, b, e, a));
        }, iter: 200);
    }

    [Fact]
    public void Eft_with_beta_zero_gives_the_base_log_probabilities()
    {
        Gen.Select(Logits(16), Logits(16), Logits(16)).Sample((b, e, a) =>
        {
            using var combination = Steps.Begin(new ProxyTuningStrategy(), Members(16), """{"form":"eft","beta":0}""");
            Reference.AssertClose(Reference.LogSoftmax(b), Steps.Combine(combination, b, e, a));
        }, iter: 200);
    }

    [Fact]
    public void An_expert_equal_to_the_anti_expert_leaves_the_base_unchanged()
    {
        Gen.Select(Logits(16), Logits(16), Gen.Double[0, 3]).Sample((b, small, weight) =>
        {
            var proxyJson = FormattableString.Invariant($$"""{"alpha":{{weight}}}""");
            using var proxy = Steps.Begin(new ProxyTuningStrategy(), Members(16), proxyJson);
            Assert.Equal(b, Steps.Combine(proxy, b, small, small));

            var eftJson = FormattableString.Invariant($$"""{"form":"eft","beta":{{weight}}}""");
            using var eft = Steps.Begin(new ProxyTuningStrategy(), Members(16), eftJson);
            Reference.AssertClose(Reference.LogSoftmax(b), Steps.Combine(eft, b, small, small));
        }, iter: 200);
    }

    [Fact]
    public void A_token_both_small_models_rule_out_keeps_the_base_score()
    {
        using var proxy = Steps.Begin(new ProxyTuningStrategy(), Trio, "{}");
        var scores = Steps.Combine(proxy, [1f, 2f, 0f], [3f, float.NegativeInfinity, 1f], [1f, float.NegativeInfinity, 1f]);

        Assert.Equal([3f, 2f, 0f], scores);
    }

    [Fact]
    public void Counters_count_the_steps_where_steering_changed_the_base_top_token()
    {
        var counters = new StrategyCounters();
        using var combination = Steps.Begin(new ProxyTuningStrategy(), Trio, "{}", counters);
        Steps.Combine(combination, [1f, 2f, 0f], [3f, 0f, 1f], [1f, 1f, 1f]);
        Steps.Combine(combination, [1f, 5f, 0f], [3f, 0f, 1f], [1f, 1f, 1f]);

        Assert.Equal(2, counters.Get("steps"));
        Assert.Equal(1, counters.Get("top_token_changed"));
    }

    [Theory]
    [InlineData(1, "expert")]
    [InlineData(2, "anti_expert")]
    public void Members_of_different_vocabulary_sizes_are_refused_with_both_named(int odd, string role)
    {
        var members = Members(64);
        members[odd] = Steps.Synthetic(role, 80);
        var error = Assert.Throws<MedleyException>(() => Steps.Begin(new ProxyTuningStrategy(), members, "{}"));

        Assert.Equal("proxy-tuning.vocabulary.mismatch", error.Code);
        Assert.Contains("base 'base-model' has 64", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{role} '{role}-model' has 80", error.Message, StringComparison.Ordinal);
        Assert.Contains("test tokenizer (80 tokens)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Members_with_equally_many_tokens_but_different_tokenizers_are_accepted_with_a_warning()
    {
        var logger = new CapturingLogger();
        var members = Members(3);
        members[2] = Steps.Member("anti_expert", "chat", new LogitsOnlyModel("chat", 3, new ChatVariantTokenizer(3)));
        using var combination = Steps.Begin(new ProxyTuningStrategy(), members, "{}", logger: logger);

        var warning = Assert.Single(logger.Warnings);
        Assert.Contains("base 'base-model'", warning, StringComparison.Ordinal);
        Assert.Contains("anti_expert 'chat' (chat variant of test tokenizer (3 tokens))", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_role_is_named()
    {
        var error = Assert.Throws<MedleyException>(() => Steps.Begin(new ProxyTuningStrategy(), [Steps.Synthetic("base"), Steps.Synthetic("expert")], "{}"));

        Assert.Equal("proxy-tuning.role.missing", error.Code);
        Assert.Contains("'anti_expert'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"alpha":-1}""", "parameter.invalid", "'alpha'")]
    [InlineData("""{"form":"eft","beta":-0.5}""", "parameter.invalid", "'beta'")]
    [InlineData("""{"form":"dexperts"}""", "parameter.invalid", "'form'")]
    [InlineData("""{"form":"eft","alpha":0.5}""", "proxy-tuning.parameter.unused", "'alpha' is 0.5")]
    [InlineData("""{"beta":2}""", "proxy-tuning.parameter.unused", "'beta' is 2")]
    public void Bad_parameters_are_refused_when_the_request_starts(string json, string code, string named)
    {
        var error = Assert.Throws<MedleyException>(() => Steps.Begin(new ProxyTuningStrategy(), Trio, json));

        Assert.Equal(code, error.Code);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"form":"eft","alpha":1,"beta":0.25}""", ProxyTuningForm.Eft, 0.25)]
    [InlineData("""{"form":"proxy","alpha":0.75,"beta":1}""", ProxyTuningForm.Proxy, 0.75)]
    public void Parameters_with_the_schema_defaults_filled_in_are_accepted(string json, ProxyTuningForm form, double weight) =>
        Assert.Equal(new ProxyTuningSettings(form, weight), ProxyTuningSettings.Read(StrategyParameters.FromJson(json)));

    private static Gen<float[]> Logits(int size) => Gen.Float[-8f, 8f].Array[size];

    private static DecodingMember[] Members(int size) =>
        [Steps.Synthetic("base", size), Steps.Synthetic("expert", size), Steps.Synthetic("anti_expert", size)];
}
