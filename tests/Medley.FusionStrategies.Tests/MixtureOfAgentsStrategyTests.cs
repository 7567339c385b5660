using Medley.Ensemble.MixtureOfAgents;
using Medley.FusionStrategies.Tests.Support;
using Medley.ResponseStrategies.Tests.Support;
using Medley.Sdk;
using Microsoft.Extensions.AI;

namespace Medley.FusionStrategies.Tests;

public sealed class MixtureOfAgentsStrategyTests
{
    private const string Prompt = """{"aggregate_prompt":"Answers:\n{responses}"}""";

    // Answers "<name>@<lines>": the number of lines of the aggregate prompt it was given (1 without one, in layer 1).
    private static RuleChatClient Proposer(string name) => new(messages =>
    {
        var layer = messages[0].Role == ChatRole.System ? messages[0].Text.Split('\n').Length : 1;
        return $"{name}@{layer}";
    });

    private static RuleChatClient Aggregator() => new(messages => "final over " + messages[0].Text.Replace("\n", " | ", StringComparison.Ordinal), chunk: 5);

    [Fact]
    public async Task Each_later_layer_sees_exactly_the_previous_layers_answers_and_the_aggregators_answer_is_returned()
    {
        var counters = new StrategyCounters();
        var (p1, p2, p3, aggregator) = (Proposer("p1"), Proposer("p2"), Proposer("p3"), Aggregator());
        var client = EnsembleBuilder.Create(new MixtureOfAgentsStrategy(), """{"layers":3,"aggregate_prompt":"Answers:\n{responses}"}""", counters, new CapturingLoggerFactory(),
            new Participant("p1", "proposer", p1), new Participant("p2", "proposer", p2), new Participant("p3", "proposer", p3), new Participant("agg", "aggregator", aggregator));

        var response = await EnsembleBuilder.AskAsync(client);

        foreach (var proposer in new[] { p1, p2, p3 })
        {
            Assert.Equal(3, proposer.Calls);
            var layer1 = Assert.Single(proposer.Received[0]);
            Assert.Equal((ChatRole.User, "Which is best?"), (layer1.Role, layer1.Text));
            Assert.Equal(["Answers:\n1. p1@1\n2. p2@1\n3. p3@1", "Which is best?"], proposer.Received[1].Select(m => m.Text));
            Assert.Equal(ChatRole.System, proposer.Received[1][0].Role);
            Assert.Equal(["Answers:\n1. p1@4\n2. p2@4\n3. p3@4", "Which is best?"], proposer.Received[2].Select(m => m.Text));
        }

        Assert.Equal(["Answers:\n1. p1@4\n2. p2@4\n3. p3@4", "Which is best?"], Assert.Single(aggregator.Received).Select(m => m.Text));
        Assert.Equal("final over Answers: | 1. p1@4 | 2. p2@4 | 3. p3@4", response.Text);
        Assert.Equal("agg", response.AdditionalProperties!["medley.aggregator"]);
        Assert.Equal(3, counters.Get("layer_1_calls"));
        Assert.Equal(3, counters.Get("layer_3_calls"));
        Assert.Equal(1, counters.Get("aggregator_calls"));
        Assert.Equal(0, counters.Get("proposer_failures"));
    }

    [Fact]
    public async Task The_default_prompt_lists_the_answers_and_a_users_system_message_is_kept_ahead_of_it()
    {
        var aggregator = Aggregator();
        var client = EnsembleBuilder.Create(new MixtureOfAgentsStrategy(), """{"layers":1}""",
            new Participant("p1", "proposer", RuleChatClient.Fixed("three hundred")), new Participant("p2", "proposer", RuleChatClient.Fixed("357")), new Participant("agg", "aggregator", aggregator));

        await client.GetResponseAsync([new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "12+345=")]);

        var received = Assert.Single(aggregator.Received);
        Assert.Equal(2, received.Count);
        Assert.Equal(ChatRole.System, received[0].Role);
        Assert.StartsWith("Be brief.\n\nSeveral models have answered", received[0].Text, StringComparison.Ordinal);
        Assert.EndsWith("Answers from the models:\n1. three hundred\n2. 357", received[0].Text, StringComparison.Ordinal);
        Assert.Equal("12+345=", received[1].Text);
    }

    [Fact]
    public async Task A_failing_proposer_is_dropped_with_a_warning_in_every_layer()
    {
        var counters = new StrategyCounters();
        var loggers = new CapturingLoggerFactory();
        var aggregator = Aggregator();
        var client = EnsembleBuilder.Create(new MixtureOfAgentsStrategy(), Prompt, counters, loggers,
            new Participant("p1", "proposer", Proposer("p1")), new Participant("broken", "proposer", new FailingChatClient()), new Participant("p3", "proposer", Proposer("p3")), new Participant("agg", "aggregator", aggregator));

        var response = await EnsembleBuilder.AskAsync(client);

        Assert.Equal("final over Answers: | 1. p1@3 | 2. p3@3", response.Text);
        Assert.Equal(2, counters.Get("proposer_failures"));
        Assert.Equal(3, counters.Get("layer_2_calls"));
        Assert.Equal(2, loggers.Logger.Warnings.Count(w => w.Contains("'broken'", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_layer_below_quorum_is_a_clear_error_naming_the_layer()
    {
        var counters = new StrategyCounters();
        var aggregator = Aggregator();
        var client = EnsembleBuilder.Create(new MixtureOfAgentsStrategy(), """{"quorum":2}""", counters, new CapturingLoggerFactory(),
            new Participant("p1", "proposer", Proposer("p1")), new Participant("broken", "proposer", new FailingChatClient()), new Participant("agg", "aggregator", aggregator));

        var error = await Assert.ThrowsAsync<MedleyException>(() => EnsembleBuilder.AskAsync(client));

        Assert.Equal("response.quorum_lost", error.Code);
        Assert.StartsWith("Mixture-of-agents layer 1 of 2: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("'broken'", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, counters.Get("proposer_failures"));
        Assert.Equal(0, aggregator.Calls);
    }

    [Fact]
    public async Task Cancelling_during_a_layer_stops_the_later_layers_and_the_aggregator()
    {
        var hanging = new HangingChatClient();
        var other = Proposer("p1");
        var aggregator = Aggregator();
        var client = EnsembleBuilder.Create(new MixtureOfAgentsStrategy(), """{"layers":3}""",
            new Participant("p1", "proposer", other), new Participant("slow", "proposer", hanging), new Participant("agg", "aggregator", aggregator));
        using var cancellation = new CancellationTokenSource();

        var request = EnsembleBuilder.AskAsync(client, cancellation.Token);
        await hanging.Started.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        Assert.Equal(0, hanging.Running);
        Assert.Equal(1, other.Calls);
        Assert.Equal(0, aggregator.Calls);
    }

    [Fact]
    public async Task Streaming_yields_the_aggregators_answer_in_pieces_that_join_to_the_non_streaming_answer()
    {
        var client = EnsembleBuilder.Create(new MixtureOfAgentsStrategy(), Prompt,
            new Participant("p1", "proposer", Proposer("p1")), new Participant("p2", "proposer", Proposer("p2")), new Participant("agg", "aggregator", Aggregator()));

        var whole = await EnsembleBuilder.AskAsync(client);
        var streamed = await EnsembleBuilder.StreamAsync(client);

        Assert.Equal(whole.Text, streamed.Text);
        Assert.Equal("final over Answers: | 1. p1@3 | 2. p2@3", streamed.Text);
        Assert.True(streamed.Updates > 1, "the aggregator's answer should arrive in several updates");
    }

    [Fact]
    public async Task Per_member_layers_choose_which_layers_a_proposer_answers_in()
    {
        var (early, late, both) = (Proposer("early"), Proposer("late"), Proposer("both"));
        var aggregator = Aggregator();
        var client = EnsembleBuilder.Create(new MixtureOfAgentsStrategy(), Prompt,
            new Participant("early", "proposer", early, """{"in_layers":[1]}"""),
            new Participant("late", "proposer", late, """{"in_layers":[2]}"""),
            new Participant("both", "proposer", both),
            new Participant("agg", "aggregator", aggregator));

        var response = await EnsembleBuilder.AskAsync(client);

        Assert.Equal(1, early.Calls);
        Assert.Equal(1, late.Calls);
        Assert.Equal(2, both.Calls);
        Assert.Equal("Answers:\n1. early@1\n2. both@1", late.Received[0][0].Text);
        Assert.Equal("final over Answers: | 1. late@3 | 2. both@3", response.Text);
    }

    [Theory]
    [InlineData("""{"layers":0}""", null, true, "parameter.invalid")]
    [InlineData("{}", null, false, "strategy.members")]
    [InlineData("""{"aggregate_prompt":"Combine them."}""", null, true, "parameter.invalid")]
    [InlineData("{}", """{"in_layers":[3]}""", true, "parameter.invalid")]
    [InlineData("{}", """{"in_layers":"all"}""", true, "parameter.invalid")]
    [InlineData("""{"quorum":2}""", """{"in_layers":[1]}""", true, "parameter.invalid")]
    [InlineData("""{"in_layers":[1]}""", null, true, "parameter.invalid")]
    public void Configuration_mistakes_are_clear_errors(string parameters, string? secondProposerLayers, bool withAggregator, string code)
    {
        List<Participant> members = [new Participant("p1", "proposer", Proposer("p1")), new Participant("p2", "proposer", Proposer("p2"), secondProposerLayers)];
        if (withAggregator)
        {
            members.Add(new Participant("agg", "aggregator", Aggregator()));
        }

        var error = Assert.Throws<MedleyException>(() => EnsembleBuilder.Create(new MixtureOfAgentsStrategy(), parameters, [.. members]));
        Assert.Equal(code, error.Code);
    }
}
