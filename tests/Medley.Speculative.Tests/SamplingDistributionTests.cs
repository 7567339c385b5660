using System.Globalization;
using Medley.Cooperation.Speculative;
using Medley.Sdk.Decoding;
using Xunit.Abstractions;

namespace Medley.Speculative.Tests;

/// <summary>
/// Sampled speculative output must follow the target's distribution exactly. On an 8-token vocabulary the first two
/// emitted tokens of many seeded runs are compared with P(a, b) = p(a) p(b | a) computed from the target alone, by a
/// chi-square test at significance 0.001 with the seeds fixed (so the outcome is deterministic). The same test must
/// reject deliberately wrong acceptance rules, which shows it has the power to catch a broken implementation.
/// </summary>
[Collection(ModelCollection.Name)]
public sealed class SamplingDistributionTests(SpeculativeModels models, ITestOutputHelper output)
{
    private const int Runs = 2000;
    private const string Prompt = "abc";

    [Theory]
    [InlineData(nameof(AcceptanceRule.Exact), true)]
    [InlineData(nameof(AcceptanceRule.AcceptAlways), false)]
    [InlineData(nameof(AcceptanceRule.ResampleFromTarget), false)]
    public async Task The_first_two_tokens_follow_the_targets_distribution_only_under_the_exact_rule(string ruleName, bool shouldMatch)
    {
        var rule = Enum.Parse<AcceptanceRule>(ruleName);
        var sampling = new SamplingOptions { Temperature = 1.0, MaxTokens = 2 };
        var exact = await ReferenceDecoding.FirstTwoTokensAsync(models.SmallTarget, Prompt, sampling);
        var endOfSequence = models.SmallTarget.Tokenizer.EosTokenIds[0];
        var strategy = new SpeculativeDecodingStrategy(rule);
        var observed = new Dictionary<string, int>();
        double drafted = 0, accepted = 0;
        for (var seed = 0; seed < Runs; seed++)
        {
            var context = SpeculativeRun.Context(
                models.SmallTarget, models.SmallDraft, Prompt, sampling with { Seed = (ulong)seed }, SpeculativeRun.Parameters(2, "fixed"));
            var run = await SpeculativeRun.RunAsync(strategy, context);
            var outcome = ReferenceDecoding.Outcome(run.Tokens, endOfSequence);
            observed[outcome] = observed.GetValueOrDefault(outcome) + 1;
            drafted += run.Counters["drafted_tokens"];
            accepted += run.Counters["accepted_tokens"];
        }

        var (statistic, degrees) = ChiSquare.Test(exact, observed);
        var critical = ChiSquare.CriticalValueAtOnePerMille(degrees);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{ruleName}: chi-square {statistic:0.0} with {degrees} degrees of freedom, critical value {critical:0.0} at 0.001; acceptance {accepted / drafted:0.000}");
        output.WriteLine(summary);
        Assert.True(degrees >= 10, summary);
        Assert.True((statistic < critical) == shouldMatch, summary);
        if (rule == AcceptanceRule.Exact)
        {
            // Rejections (and so the residual) must occur for the match to say anything about them.
            Assert.InRange(accepted / drafted, 0.2, 0.9);
        }
    }
}
