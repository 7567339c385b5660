using Medley.Ensemble.Vote;
using Medley.ResponseStrategies.Tests.Support;
using Medley.Sdk;
using Microsoft.Extensions.AI;

namespace Medley.ResponseStrategies.Tests;

public sealed class VoteStrategyTests
{
    [Fact]
    public async Task Majority_answer_wins_and_the_first_response_giving_it_is_returned()
    {
        var counters = new StrategyCounters();
        var client = EnsembleClients.Create(new VoteStrategy(), "{}", counters, new CapturingLoggerFactory(),
            ("a", new ScriptedChatClient("357")), ("b", new ScriptedChatClient(" 356 ")), ("c", new ScriptedChatClient(" 357\n")));

        var response = await EnsembleClients.AskAsync(client);

        Assert.Equal("357", response.Text);
        Assert.Equal("a", response.AdditionalProperties!["medley.winner"]);
        Assert.Equal(2, counters.Get("winner_votes"));
        Assert.Equal(2, counters.Get("distinct_answers"));
    }

    [Fact]
    public async Task Last_number_extraction_votes_on_numbers_and_returns_the_full_text()
    {
        var counters = new StrategyCounters();
        var client = EnsembleClients.Create(new VoteStrategy(), """{"extraction":"last_number"}""", counters, new CapturingLoggerFactory(),
            ("a", new ScriptedChatClient("12 plus 345 is 356.")),
            ("b", new ScriptedChatClient("First 12, then 1,000 - 643 = +357")),
            ("c", new ScriptedChatClient("The answer is 357.")));

        var response = await EnsembleClients.AskAsync(client);

        Assert.Equal("First 12, then 1,000 - 643 = +357", response.Text);
        Assert.Equal(2, counters.Get("winner_votes"));
    }

    [Fact]
    public async Task Regex_extraction_votes_on_the_first_capture_group_and_texts_without_a_match_abstain()
    {
        var counters = new StrategyCounters();
        var client = EnsembleClients.Create(new VoteStrategy(), """{"extraction":"regex","pattern":"answer: (\\w+)"}""", counters, new CapturingLoggerFactory(),
            ("a", new ScriptedChatClient("I do not know")),
            ("b", new ScriptedChatClient("answer: red")),
            ("c", new ScriptedChatClient("so the answer: blue")),
            ("d", new ScriptedChatClient("answer: blue")));

        var response = await EnsembleClients.AskAsync(client);

        Assert.Equal("so the answer: blue", response.Text);
        Assert.Equal(2, counters.Get("distinct_answers"));
        Assert.Equal(2, counters.Get("winner_votes"));
        var client2 = EnsembleClients.Create(new VoteStrategy(), """{"extraction":"regex","pattern":"answer: (\\w+)","samples":2}""",
            ("a", new ScriptedChatClient("no", "answer: x y")));
        Assert.Equal("answer: x y", (await EnsembleClients.AskAsync(client2)).Text);
    }

    [Fact]
    public async Task Ties_go_to_the_answer_given_earliest_in_member_then_sample_order_not_to_the_first_to_finish()
    {
        // a answers last, but its first sample "y" comes first in pool order; y and x have two votes each.
        var slow = new ScriptedChatClient(TimeSpan.FromMilliseconds(200), "y", "x");
        var counters = new StrategyCounters();
        var client = EnsembleClients.Create(new VoteStrategy(), """{"samples":2}""", counters, new CapturingLoggerFactory(),
            ("a", slow), ("b", new ScriptedChatClient("x", "y")));

        var response = await EnsembleClients.AskAsync(client);

        Assert.Equal("y", response.Text);
        Assert.Equal("a", response.AdditionalProperties!["medley.winner"]);
        Assert.Equal(2, counters.Get("winner_votes"));
    }

    [Fact]
    public async Task Samples_ask_each_member_n_times_with_distinct_seeds()
    {
        var member = new ScriptedChatClient("1", "2", "2");
        var counters = new StrategyCounters();
        var client = EnsembleClients.Create(new VoteStrategy(), """{"samples":3}""", counters, new CapturingLoggerFactory(), ("a", member));

        var response = await client.GetResponseAsync("q", new ChatOptions { Seed = 10 });

        Assert.Equal("2", response.Text);
        Assert.Equal(3, member.Calls);
        Assert.Equal(new long?[] { 10, 11, 12 }, member.Seeds.Order());
        Assert.Equal(3, counters.Get("member_calls"));
    }

    [Fact]
    public async Task Without_any_extractable_answer_the_first_candidate_stands_with_zero_votes()
    {
        var counters = new StrategyCounters();
        var client = EnsembleClients.Create(new VoteStrategy(), """{"extraction":"last_number"}""", counters, new CapturingLoggerFactory(),
            ("a", new ScriptedChatClient("no idea")), ("b", new ScriptedChatClient("none")));

        Assert.Equal("no idea", (await EnsembleClients.AskAsync(client)).Text);
        Assert.Equal(0, counters.Get("winner_votes"));
        Assert.Equal(0, counters.Get("distinct_answers"));
    }

    [Fact]
    public async Task Streaming_yields_the_winning_response()
    {
        var client = EnsembleClients.Create(new VoteStrategy(), "{}",
            ("a", new ScriptedChatClient("x")), ("b", new ScriptedChatClient("z")), ("c", new ScriptedChatClient("z")));
        var text = string.Concat(await client.GetStreamingResponseAsync("q").Select(u => u.Text).ToListAsync());
        Assert.Equal("z", text);
    }

    [Theory]
    [InlineData("""{"extraction":"first_word"}""", "parameter.invalid", "'extraction'")]
    [InlineData("""{"extraction":"regex"}""", "parameter.missing", "'pattern'")]
    [InlineData("""{"extraction":"regex","pattern":"answer: \\w+"}""", "parameter.invalid", "capture group")]
    [InlineData("""{"extraction":"regex","pattern":"(unclosed"}""", "parameter.invalid", "not a valid regular expression")]
    [InlineData("""{"samples":0}""", "parameter.invalid", "'samples'")]
    [InlineData("""{"concurrency":0}""", "parameter.invalid", "'concurrency'")]
    public void Bad_parameters_are_refused_naming_the_parameter(string json, string code, string fragment)
    {
        var error = Assert.Throws<MedleyException>(() => EnsembleClients.Create(new VoteStrategy(), json, ("a", new ScriptedChatClient("x"))));
        Assert.Equal(code, error.Code);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }
}
