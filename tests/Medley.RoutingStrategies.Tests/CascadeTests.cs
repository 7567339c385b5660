using System.Text.Json;
using Medley.Ensemble.Cascade;
using Medley.ResponseStrategies.Tests.Support;
using Medley.RoutingStrategies.Tests.Support;
using Medley.Sdk;
using Microsoft.Extensions.AI;

namespace Medley.RoutingStrategies.Tests;

public sealed class CascadeTests
{
    [Fact]
    public async Task Agreeing_samples_from_the_cheapest_member_are_accepted_without_escalation()
    {
        var top = new ScriptedChatClient("top");
        var cheap = new RecordingChatClient("1", "2", "1");
        var ensemble = new TestEnsemble().Member("cheap", cheap).Member("top", top);
        var client = ensemble.Build(new CascadeStrategy(), """{"scorer":"agreement","samples":3}""");

        var response = await TestEnsemble.AskAsync(client, "q");

        // "1" has 2 of 3 votes: 0.67 ≥ the default 0.6.
        Assert.Equal(("1", "cheap"), (response.Text, TestEnsemble.Winner(response)));
        Assert.Equal(0, top.Calls);
        Assert.Equal(0, ensemble.Counters.Get("escalations"));
        Assert.Equal(1, ensemble.Counters.Get("answered_by.cheap"));
        Assert.Equal(3, ensemble.Counters.Get("tier_calls.1"));
        Assert.All(cheap.Options, o => Assert.Equal(0.7f, o!.Temperature));
    }

    [Fact]
    public async Task Disagreement_escalates_level_by_level_and_every_call_is_counted()
    {
        var ensemble = new TestEnsemble()
            .Member("small", new ScriptedChatClient("1", "2", "3"))
            .Member("medium", new ScriptedChatClient("4", "5", "4"))
            .Member("large", new ScriptedChatClient("42"));
        var client = ensemble.Build(new CascadeStrategy(), """{"scorer":"agreement","threshold":0.7}""");

        var response = await TestEnsemble.AskAsync(client, "q");

        // small: 1/3 < 0.7; medium: 2/3 < 0.7; large is last and asked once.
        Assert.Equal(("42", "large"), (response.Text, TestEnsemble.Winner(response)));
        Assert.Equal(2, ensemble.Counters.Get("escalations"));
        Assert.Equal((3, 3, 1), (ensemble.Counters.Get("tier_calls.1"), ensemble.Counters.Get("tier_calls.2"), ensemble.Counters.Get("tier_calls.3")));
        Assert.Equal(7, ensemble.Counters.Get("member_calls"));
        Assert.Equal(1, ensemble.Counters.Get("answered_by.large"));
        Assert.Equal(0, ensemble.Counters.Get("answered_by.small"));
    }

    [Fact]
    public async Task Agreement_ties_go_to_the_answer_seen_first_and_use_the_extractor()
    {
        var ensemble = new TestEnsemble()
            .Member("small", new ScriptedChatClient("so 7", "it is 9", "9!", "answer 7", "nothing"))
            .Member("large", new ScriptedChatClient("big"));
        var client = ensemble.Build(new CascadeStrategy(), """{"samples":5,"threshold":0.4,"extraction":"last_number"}""");

        var response = await TestEnsemble.AskAsync(client, "q");

        // 7 and 9 have 2 of 5 each (0.4 ≥ 0.4; "nothing" abstains but counts in k); 7 came first.
        Assert.Equal("so 7", response.Text);
        Assert.Equal(0, ensemble.Counters.Get("escalations"));
    }

    [Fact]
    public async Task Agreement_samples_get_distinct_seeds_when_the_request_has_one()
    {
        var small = new ScriptedChatClient("a");
        var client = new TestEnsemble().Member("small", small).Member("large", new ScriptedChatClient("b")).Build(new CascadeStrategy(), "{}");

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, "q")], new ChatOptions { Seed = 10 });

        Assert.Equal([10L, 11L, 12L], small.Seeds.Order().ToArray());
    }

    [Fact]
    public async Task Members_are_asked_in_ascending_cost_whatever_the_config_order()
    {
        var ensemble = new TestEnsemble()
            .Member("dear", new ScriptedChatClient("d"), """{"cost":10}""")
            .Member("cheap", new ScriptedChatClient("x", "y", "z"), """{"cost":0.5}""")
            .Member("mid", new ScriptedChatClient("m"), """{"cost":2}""");
        var client = ensemble.Build(new CascadeStrategy(), "{}");

        var response = await TestEnsemble.AskAsync(client, "q");

        // cheap disagrees with itself, mid agrees (3 × "m"), dear is never asked.
        Assert.Equal(("m", "mid"), (response.Text, TestEnsemble.Winner(response)));
        Assert.Equal((3, 3, 0), (ensemble.Counters.Get("tier_calls.1"), ensemble.Counters.Get("tier_calls.2"), ensemble.Counters.Get("tier_calls.3")));
    }

    [Fact]
    public async Task Weak_members_come_before_strong_ones_and_calls_are_counted_per_tier()
    {
        var ensemble = new TestEnsemble()
            .Member("big", new ScriptedChatClient("B"), """{"tier":"strong"}""")
            .Member("tiny", new ScriptedChatClient("1", "2", "3"), """{"tier":"weak"}""");
        var client = ensemble.Build(new CascadeStrategy(), "{}");

        Assert.Equal("big", TestEnsemble.Winner(await TestEnsemble.AskAsync(client, "q")));
        Assert.Equal((3, 1), (ensemble.Counters.Get("tier_calls.weak"), ensemble.Counters.Get("tier_calls.strong")));
        Assert.Equal(1, ensemble.Counters.Get("escalations"));
    }

    [Theory]
    [InlineData("Yes, that is correct.", "cheap", 0)]
    [InlineData("No.", "top", 1)]
    [InlineData("Maybe", "top", 1)]
    public async Task A_verifier_accepts_on_yes_and_escalates_otherwise(string verdict, string winner, int escalations)
    {
        var verifier = new RecordingChatClient(verdict);
        var ensemble = new TestEnsemble()
            .Member("cheap", new ScriptedChatClient("357"))
            .Member("top", new ScriptedChatClient("358"))
            .Add("checker", "verifier", verifier);
        var client = ensemble.Build(new CascadeStrategy(), """{"scorer":"verify"}""");

        var response = await TestEnsemble.AskAsync(client, "12+345=");

        Assert.Equal(winner, TestEnsemble.Winner(response));
        Assert.Equal(escalations, ensemble.Counters.Get("escalations"));
        Assert.Equal(1, ensemble.Counters.Get("verifier_calls"));
        var prompt = Assert.Single(verifier.Prompts);
        Assert.Contains("12+345=", prompt, StringComparison.Ordinal);
        Assert.Contains("357", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_verifier_each_member_verifies_its_own_answer()
    {
        // The member answers, then is asked the verification prompt, which it answers with its next script line.
        var cheap = new RecordingChatClient("357", "yes");
        var ensemble = new TestEnsemble().Member("cheap", cheap).Member("top", new ScriptedChatClient("x"));
        var client = ensemble.Build(new CascadeStrategy(), """{"scorer":"verify","verify_prompt":"Is {answer} right for {question}?"}""");

        var response = await TestEnsemble.AskAsync(client, "12+345=");

        Assert.Equal(("357", "cheap"), (response.Text, TestEnsemble.Winner(response)));
        Assert.Equal(["12+345=", "Is 357 right for 12+345=?"], cheap.Prompts);
    }

    [Fact]
    public async Task Several_verifications_accept_on_the_share_of_yes()
    {
        var ensemble = new TestEnsemble()
            .Member("cheap", new ScriptedChatClient("a"))
            .Member("top", new ScriptedChatClient("b"))
            .Add("v", "verifier", new ScriptedChatClient("yes", "no", "no"));
        var client = ensemble.Build(new CascadeStrategy(), """{"scorer":"verify","verifications":3,"threshold":0.5}""");

        // 1 yes of 3 < 0.5.
        Assert.Equal("top", TestEnsemble.Winner(await TestEnsemble.AskAsync(client, "q")));
        Assert.Equal(3, ensemble.Counters.Get("verifier_calls"));
    }

    [Fact]
    public async Task A_failing_verifier_rejects_the_answer_with_a_warning()
    {
        var ensemble = new TestEnsemble()
            .Member("cheap", new ScriptedChatClient("a"))
            .Member("top", new ScriptedChatClient("b"))
            .Add("v", "verifier", new FailingChatClient());
        var client = ensemble.Build(new CascadeStrategy(), """{"scorer":"verify"}""");

        Assert.Equal("top", TestEnsemble.Winner(await TestEnsemble.AskAsync(client, "q")));
        Assert.Equal(1, ensemble.Counters.Get("verifier_failures"));
        Assert.Contains("'v'", Assert.Single(ensemble.Warnings), StringComparison.Ordinal);
    }

    [Theory]
    // Mean of −0.1 and −0.3 is −0.2.
    [InlineData(-0.25, "cheap")]
    [InlineData(-0.2, "cheap")]
    [InlineData(-0.1, "top")]
    public async Task The_mean_token_log_probability_is_compared_with_the_threshold(double threshold, string winner)
    {
        var ensemble = new TestEnsemble().Member("cheap", new LogProbabilityChatClient("a", -0.1, -0.3)).Member("top", new LogProbabilityChatClient("b"));
        var client = ensemble.Build(new CascadeStrategy(), $$"""{"scorer":"logprob","threshold":{{threshold}}}""");

        Assert.Equal(winner, TestEnsemble.Winner(await TestEnsemble.AskAsync(client, "q")));
    }

    [Fact]
    public async Task A_member_without_log_probabilities_is_a_clear_error_for_the_logprob_scorer()
    {
        var client = new TestEnsemble().Member("plain", new ScriptedChatClient("a")).Member("top", new ScriptedChatClient("b"))
            .Build(new CascadeStrategy(), """{"scorer":"logprob","threshold":-1}""");

        var error = await Assert.ThrowsAsync<MedleyException>(() => TestEnsemble.AskAsync(client, "q"));

        Assert.Equal("cascade.logprob_unavailable", error.Code);
        Assert.Contains("'plain'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Log_probabilities_are_read_from_the_response_or_its_message_in_any_numeric_form()
    {
        var byMean = new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")) { AdditionalProperties = new() { [ResponseLogProbabilities.MeanKey] = -0.5 } };
        var message = new ChatMessage(ChatRole.Assistant, "x") { AdditionalProperties = new() { [ResponseLogProbabilities.TokensKey] = JsonDocument.Parse("[-1, -2, -3]").RootElement } };
        var floats = new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")) { AdditionalProperties = new() { [ResponseLogProbabilities.TokensKey] = new List<float> { -0.5f, -1.5f } } };

        Assert.Equal(-0.5, ResponseLogProbabilities.Mean(byMean));
        Assert.Equal(-2.0, ResponseLogProbabilities.Mean(new ChatResponse(message)));
        Assert.Equal(-1.0, ResponseLogProbabilities.Mean(floats));
        Assert.Null(ResponseLogProbabilities.Mean(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"))));
    }

    [Theory]
    [InlineData("Yes", true)]
    [InlineData("yes.", true)]
    [InlineData("The answer is correct", true)]
    [InlineData("No, it is wrong", false)]
    [InlineData("INCORRECT", false)]
    [InlineData("nothing to say", null)]
    [InlineData("yesterday", null)]
    public void Verifier_verdicts_are_read_from_the_first_yes_or_no_word(string reply, bool? expected) =>
        Assert.Equal(expected, VerifierVerdict.Parse(reply));

    [Fact]
    public async Task A_failing_member_is_skipped_with_a_warning()
    {
        var ensemble = new TestEnsemble()
            .Member("broken", new FailingChatClient())
            .Member("mid", new ScriptedChatClient("m"))
            .Member("top", new ScriptedChatClient("t"));
        var client = ensemble.Build(new CascadeStrategy(), "{}");

        var response = await TestEnsemble.AskAsync(client, "q");

        Assert.Equal("mid", TestEnsemble.Winner(response));
        Assert.Equal((1, 1), (ensemble.Counters.Get("failed_members"), ensemble.Counters.Get("escalations")));
        var warning = Assert.Single(ensemble.Warnings);
        Assert.Contains("'broken'", warning, StringComparison.Ordinal);
        Assert.Contains("500", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_last_member_fails_the_latest_rejected_answer_is_returned()
    {
        var ensemble = new TestEnsemble()
            .Member("small", new ScriptedChatClient("1", "2", "3"))
            .Member("medium", new ScriptedChatClient("4", "5", "6"))
            .Member("large", new FailingChatClient());
        var client = ensemble.Build(new CascadeStrategy(), "{}");

        var response = await TestEnsemble.AskAsync(client, "q");

        Assert.Equal(("4", "medium"), (response.Text, TestEnsemble.Winner(response)));
        Assert.Equal((1, 1), (ensemble.Counters.Get("fallbacks"), ensemble.Counters.Get("failed_members")));
    }

    [Fact]
    public async Task Every_member_failing_is_an_error_naming_each()
    {
        var client = new TestEnsemble().Member("a", new FailingChatClient()).Member("b", new FailingChatClient()).Build(new CascadeStrategy(), "{}");

        var error = await Assert.ThrowsAsync<MedleyException>(() => TestEnsemble.AskAsync(client, "q"));

        Assert.Equal("cascade.all_failed", error.Code);
        Assert.Equal(2, error.Details.Count);
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'b'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_member_is_asked_once_and_accepted()
    {
        var only = new ScriptedChatClient("x");
        var ensemble = new TestEnsemble().Member("only", only);
        Assert.Equal("x", (await TestEnsemble.AskAsync(ensemble.Build(new CascadeStrategy(), "{}"), "q")).Text);
        Assert.Equal(1, only.Calls);
    }

    [Fact]
    public async Task Cancelling_the_request_leaves_no_call_running()
    {
        var hanging = new HangingChatClient();
        var top = new ScriptedChatClient("t");
        var client = new TestEnsemble().Member("h", hanging).Member("top", top).Build(new CascadeStrategy(), """{"samples":1}""");
        using var cancellation = new CancellationTokenSource();

        var request = TestEnsemble.AskAsync(client, "q", cancellation.Token);
        await hanging.Started.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        Assert.Equal((0, 0), (hanging.Running, top.Calls));
    }

    [Theory]
    [InlineData("""{"scorer":"logprob"}""", "{}", "parameter.missing", "'threshold'")]
    [InlineData("""{"scorer":"guess"}""", "{}", "parameter.invalid", "'scorer'")]
    [InlineData("""{"threshold":1.5}""", "{}", "parameter.invalid", "'threshold'")]
    [InlineData("""{"samples":0}""", "{}", "parameter.invalid", "'samples'")]
    [InlineData("""{"extraction":"regex"}""", "{}", "parameter.missing", "'pattern'")]
    [InlineData("{}", """{"cost":1}""", "parameter.missing", "'b'")]
    [InlineData("{}", """{"tier":"medium"}""", "parameter.invalid", "'tier'")]
    public void Configuration_mistakes_are_refused_when_the_client_is_built(string parameters, string firstMemberParameters, string code, string mention)
    {
        var ensemble = new TestEnsemble().Member("a", new ScriptedChatClient("x"), firstMemberParameters).Member("b", new ScriptedChatClient("y"));
        var error = Assert.Throws<MedleyException>(() => ensemble.Build(new CascadeStrategy(), parameters));
        Assert.Equal(code, error.Code);
        Assert.Contains(mention, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cascade_without_members_is_refused() =>
        Assert.Equal("strategy.members", Assert.Throws<MedleyException>(() => new TestEnsemble().Build(new CascadeStrategy(), "{}")).Code);
}
