using Medley.Ensemble.Router;
using Medley.ResponseStrategies.Tests.Support;
using Medley.RoutingStrategies.Tests.Support;

namespace Medley.RoutingStrategies.Tests;

public sealed class RouterJudgeTests
{
    private static readonly string[] s_members = ["coder", "writer", "gpt", "gpt-4"];

    [Theory]
    [InlineData("coder", "coder")]
    [InlineData("  \"Writer\".", "writer")]
    [InlineData("**gpt-4**", "gpt-4")]
    [InlineData("2", "writer")]
    [InlineData("7", null)]
    [InlineData("I would ask writer, not coder.", "writer")]
    // "gpt" and "gpt-4" start at the same place: the longer name is meant.
    [InlineData("Send it to gpt-4 rather than gpt", "gpt-4")]
    [InlineData("Send it to gpt rather than gpt-4", "gpt")]
    [InlineData("codervision is best", null)]
    [InlineData("nobody", null)]
    [InlineData("", null)]
    public void Judge_replies_are_read_robustly(string reply, string? expected) =>
        Assert.Equal(expected, JudgeReply.ParseMember(reply, s_members));

    [Theory]
    [InlineData("0.8", 0.8)]
    [InlineData("Score: 85%", 0.85)]
    [InlineData("1", 1.0)]
    [InlineData(".25 I think", 0.25)]
    [InlineData("1.5", null)]
    [InlineData("-0.2", null)]
    [InlineData("no idea", null)]
    public void Judge_scores_are_read_from_the_first_number(string reply, double? expected) =>
        Assert.Equal(expected, JudgeReply.ParseScore(reply));

    [Fact]
    public async Task The_judge_sees_the_question_and_the_members_and_its_choice_answers()
    {
        var judge = new RecordingChatClient("I think **coder** should answer.");
        var ensemble = new TestEnsemble()
            .Member("writer", new ScriptedChatClient("prose"), """{"description":"writes stories"}""")
            .Member("coder", new ScriptedChatClient("code"), """{"description":"writes programs"}""")
            .Add("judge", "judge", judge);
        var client = ensemble.Build(new RouterStrategy(), """{"mode":"judge"}""");

        var response = await TestEnsemble.AskAsync(client, "fix my loop");

        Assert.Equal(("coder", "code"), (TestEnsemble.Winner(response), response.Text));
        var prompt = Assert.Single(judge.Prompts);
        Assert.Contains("fix my loop", prompt, StringComparison.Ordinal);
        Assert.Contains("- writer: writes stories\n- coder: writes programs", prompt, StringComparison.Ordinal);
        Assert.Equal(0f, judge.Options[0]!.Temperature);
        Assert.Equal(1, ensemble.Counters.Get("judge_calls"));
    }

    [Fact]
    public async Task A_custom_judge_prompt_is_filled_in()
    {
        var judge = new RecordingChatClient("b");
        var client = new TestEnsemble().Member("a", new ScriptedChatClient("x")).Member("b", new ScriptedChatClient("y")).Add("j", "judge", judge)
            .Build(new RouterStrategy(), """{"mode":"judge","judge_prompt":"Q={question} M={members}"}""");

        Assert.Equal("b", TestEnsemble.Winner(await TestEnsemble.AskAsync(client, "hi")));
        Assert.Equal("Q=hi M=- a\n- b", judge.Prompts[0]);
    }

    [Fact]
    public async Task An_unreadable_judge_reply_goes_to_the_default_member_with_a_warning()
    {
        var ensemble = new TestEnsemble().Member("a", new ScriptedChatClient("x")).Member("b", new ScriptedChatClient("y")).Add("j", "judge", new ScriptedChatClient("hard to say"));
        var client = ensemble.Build(new RouterStrategy(), """{"mode":"judge","default":"b"}""");

        Assert.Equal("b", TestEnsemble.Winner(await TestEnsemble.AskAsync(client, "hi")));
        Assert.Equal(1, ensemble.Counters.Get("judge_unparsed"));
        Assert.Contains("hard to say", Assert.Single(ensemble.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_judge_goes_to_the_default_member_with_a_warning()
    {
        var ensemble = new TestEnsemble().Member("a", new ScriptedChatClient("x")).Member("b", new ScriptedChatClient("y")).Add("j", "judge", new FailingChatClient());
        var client = ensemble.Build(new RouterStrategy(), """{"mode":"judge"}""");

        Assert.Equal("a", TestEnsemble.Winner(await TestEnsemble.AskAsync(client, "hi")));
        Assert.Equal(1, ensemble.Counters.Get("judge_failures"));
        Assert.Contains("judge failed", Assert.Single(ensemble.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_tier_judge_routing_compares_the_judge_score_with_the_threshold()
    {
        var judge = new RecordingChatClient("0.7", "score 30%", "no number");
        var ensemble = new TestEnsemble()
            .Member("small", new ScriptedChatClient("s"), """{"tier":"weak"}""")
            .Member("large", new ScriptedChatClient("l"), """{"tier":"strong"}""")
            .Add("j", "judge", judge);
        var client = ensemble.Build(new RouterStrategy(), """{"mode":"judge","threshold":0.5,"default":"large"}""");

        Assert.Equal("large", TestEnsemble.Winner(await TestEnsemble.AskAsync(client, "q1")));
        Assert.Equal("small", TestEnsemble.Winner(await TestEnsemble.AskAsync(client, "q2")));
        Assert.Equal("large", TestEnsemble.Winner(await TestEnsemble.AskAsync(client, "q3")));
        Assert.Contains("between 0", judge.Prompts[0], StringComparison.Ordinal);
        Assert.Equal(0.5, ensemble.Counters.Get("score_mean"), 12);
        Assert.Equal(2, ensemble.Counters.Get("scored_requests"));
        Assert.Equal((2, 1), (ensemble.Counters.Get("routed_to.large"), ensemble.Counters.Get("routed_to.small")));
    }
}
