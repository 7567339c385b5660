using Medley.Sdk.Decoding;
using Medley.Sdk.Models;
using Xunit.Abstractions;

namespace Medley.Speculative.Tests;

[Collection(ModelCollection.Name)]
public sealed class GreedyExactnessTests(SpeculativeModels models, ITestOutputHelper output)
{
    private const int PromptCount = 100;
    private const int MaxTokens = 16;

    // The counter tests work out their numbers by hand for this budget.
    private const int HandCheckedTokens = 20;

    public static TheoryData<string, string> DraftsAndSchedules => new()
    {
        { "perturbed", "fixed" },
        { "perturbed", "heuristic" },
        { "perturbed", "confidence" },
        { "unrelated", "fixed" },
        { "unrelated", "heuristic" },
        { "unrelated", "confidence" },
    };

    [Theory]
    [MemberData(nameof(DraftsAndSchedules))]
    public async Task Greedy_output_is_the_targets_greedy_output_token_for_token(string draftName, string schedule)
    {
        var draft = draftName == "perturbed" ? models.PerturbedDraft : models.UnrelatedDraft;
        var prompts = Prompts(seed: 17, PromptCount);
        var references = new List<List<int>>();
        foreach (var prompt in prompts)
        {
            references.Add(await ReferenceDecoding.GreedyAsync(models.Target, prompt, MaxTokens));
        }

        var greedy = new SamplingOptions { Temperature = 0, MaxTokens = MaxTokens, Seed = 1 };
        foreach (var gamma in new[] { 1, 2, 4, 7 })
        {
            double drafted = 0, accepted = 0, generated = 0, targetCalls = 0;
            for (var i = 0; i < prompts.Count; i++)
            {
                // On these flat random models a threshold of 0.2 makes the confidence schedule stop early often, not always.
                var run = await SpeculativeRun.RunAsync(models.Target, draft, prompts[i], greedy, SpeculativeRun.Parameters(gamma, schedule, confidenceThreshold: 0.2));
                Assert.True(
                    references[i].SequenceEqual(run.Tokens),
                    $"γ={gamma}, prompt {i} \"{prompts[i]}\": expected [{string.Join(' ', references[i])}] but speculative gave [{string.Join(' ', run.Tokens)}]");
                Assert.Equal(models.Target.Tokenizer.Decode(references[i]), run.Text);
                drafted += run.Counters["drafted_tokens"];
                accepted += run.Counters["accepted_tokens"];
                generated += run.Counters["generated_tokens"];
                targetCalls += run.Counters["target_calls"];
            }

            // Both paths of the rule must have been exercised for the equality above to mean anything.
            Assert.True(accepted > 0, $"γ={gamma}: no drafted token was accepted");
            Assert.True(accepted < drafted, $"γ={gamma}: no drafted token was rejected");
            Assert.Equal(references.Sum(r => r.Count), generated);
            if (schedule == "confidence" && gamma > 1)
            {
                // Some rounds stopped before γ tokens and some drafted more than one.
                Assert.InRange(drafted, targetCalls + 1, (gamma * targetCalls) - 1);
            }

            var rate = accepted / drafted;
            output.WriteLine($"{draftName} draft, {schedule}, γ={gamma}: acceptance {rate:0.000}, {drafted} drafted, {targetCalls} target calls, {generated} generated");
            if (draftName == "perturbed")
            {
                Assert.True(rate > 0.35, $"γ={gamma}: the perturbed copy's acceptance rate is only {rate:0.000}");
            }
            else
            {
                Assert.True(rate < 0.35, $"γ={gamma}: the unrelated draft's acceptance rate is {rate:0.000}");
            }
        }
    }

    [Fact]
    public async Task A_draft_identical_to_the_target_has_every_token_accepted_and_the_counters_add_up()
    {
        // Greedy γ = 4 with 20 tokens: each round keeps 4 drafted tokens plus the bonus, so 4 target calls and 16 draft
        // calls (one per drafted token); the last round is not cut short because 15 + 4 + 1 = 20.
        var prompt = await PromptWithoutEndOfSequenceAsync(models.Target, HandCheckedTokens);
        var greedy = new SamplingOptions { Temperature = 0, MaxTokens = HandCheckedTokens, Seed = 1 };

        var run = await SpeculativeRun.RunAsync(models.Target, models.Target, prompt, greedy, SpeculativeRun.Parameters(4, "fixed"));

        Assert.Equal(await ReferenceDecoding.GreedyAsync(models.Target, prompt, HandCheckedTokens), run.Tokens);
        Assert.Equal(4, run.Counters["target_calls"]);
        Assert.Equal(16, run.Counters["draft_calls"]);
        Assert.Equal(16, run.Counters["drafted_tokens"]);
        Assert.Equal(16, run.Counters["accepted_tokens"]);
        Assert.Equal(20, run.Counters["generated_tokens"]);
        Assert.Equal(1.0, run.Counters["acceptance_rate"]);
        Assert.Equal(4.0, run.Counters["mean_accepted_length"]);
        Assert.Equal(5.0, run.Counters["tokens_per_target_call"]);
        Assert.True(run.Counters["tokens_per_second"] > 0);
        Assert.Equal(["draft", "draft", "draft", "draft", "target"], run.Events.Take(5).Select(e => e.Source));
    }

    [Fact]
    public async Task The_heuristic_schedule_grows_the_draft_by_two_after_full_acceptance()
    {
        // Identical draft, γ starts at 1: rounds draft 1, 3, 5 and 7 tokens and emit 2, 4, 6 and 8, so 20 tokens take
        // 4 target calls and 16 drafted tokens (the last round fits exactly: 20 − 12 − 1 = 7).
        var prompt = await PromptWithoutEndOfSequenceAsync(models.Target, HandCheckedTokens);
        var greedy = new SamplingOptions { Temperature = 0, MaxTokens = HandCheckedTokens, Seed = 1 };

        var run = await SpeculativeRun.RunAsync(models.Target, models.Target, prompt, greedy, SpeculativeRun.Parameters(1, "heuristic"));

        Assert.Equal(await ReferenceDecoding.GreedyAsync(models.Target, prompt, HandCheckedTokens), run.Tokens);
        Assert.Equal(4, run.Counters["target_calls"]);
        Assert.Equal(16, run.Counters["drafted_tokens"]);
        Assert.Equal(16, run.Counters["accepted_tokens"]);
    }

    internal static List<string> Prompts(int seed, int count)
    {
        var random = new Random(seed);
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.;!?";
        return Enumerable.Range(0, count)
            .Select(_ => new string(Enumerable.Range(0, random.Next(1, 11)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray()))
            .ToList();
    }

    private static async Task<string> PromptWithoutEndOfSequenceAsync(ICausalLanguageModel model, int maxTokens)
    {
        foreach (var prompt in Prompts(seed: 99, 200))
        {
            if ((await ReferenceDecoding.GreedyAsync(model, prompt, maxTokens)).Count == maxTokens)
            {
                return prompt;
            }
        }

        throw new InvalidOperationException($"No prompt lets the target run {maxTokens} tokens without an end of sequence.");
    }
}
