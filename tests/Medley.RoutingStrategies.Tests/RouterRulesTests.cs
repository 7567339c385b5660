using Medley.Ensemble.Router;
using Medley.ResponseStrategies.Tests.Support;
using Medley.RoutingStrategies.Tests.Support;
using Medley.Sdk;

namespace Medley.RoutingStrategies.Tests;

public sealed class RouterRulesTests
{
    private const string Rules = """
        {"mode":"rules","default":"general","rules":[
          {"pattern":"^\\d+\\+\\d+=$","member":"adder"},
          {"keywords":["reverse","backwards"],"member":"reverser"},
          {"pattern":"sort","keywords":["order"],"member":"sorter"}]}
        """;

    [Theory]
    [InlineData("12+345=", "adder")]
    [InlineData("Please REVERSE abc", "reverser")]
    [InlineData("read it backwards", "reverser")]
    [InlineData("put these in order", "sorter")]
    [InlineData("sort these", "sorter")]
    // Both rule 2 and rule 3 match: the earlier rule wins.
    [InlineData("sort and reverse", "reverser")]
    // The pattern is anchored, so an addition inside a sentence is not the adder's.
    [InlineData("what is 12+345=", "general")]
    [InlineData("hello", "general")]
    public async Task The_first_matching_rule_routes_else_the_default(string question, string expected)
    {
        var ensemble = Members();
        var client = ensemble.Build(new RouterStrategy(), Rules);

        var response = await TestEnsemble.AskAsync(client, question);

        Assert.Equal(expected, TestEnsemble.Winner(response));
        Assert.Equal("answer from " + expected, response.Text);
        Assert.Equal(1, ensemble.Counters.Get($"routed_to.{expected}"));
        Assert.Single(ensemble.Counters.Snapshot().Keys, k => k.StartsWith("routed_to.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_last_user_message_is_what_the_rules_see()
    {
        var ensemble = Members();
        var client = ensemble.Build(new RouterStrategy(), Rules);

        var response = await client.GetResponseAsync([
            new(Microsoft.Extensions.AI.ChatRole.User, "reverse abc"),
            new(Microsoft.Extensions.AI.ChatRole.Assistant, "cba"),
            new(Microsoft.Extensions.AI.ChatRole.User, "1+2="),
        ]);

        Assert.Equal("adder", TestEnsemble.Winner(response));
    }

    [Fact]
    public async Task Without_a_default_the_first_member_answers_unmatched_requests()
    {
        var ensemble = Members();
        var client = ensemble.Build(new RouterStrategy(), """{"rules":[{"keywords":["zzz"],"member":"sorter"}]}""");
        Assert.Equal("adder", TestEnsemble.Winner(await TestEnsemble.AskAsync(client, "hello")));
    }

    [Fact]
    public async Task A_failing_routed_member_falls_back_to_the_default_with_a_warning()
    {
        var ensemble = new TestEnsemble().Member("general", new ScriptedChatClient("fine")).Member("adder", new FailingChatClient());
        var client = ensemble.Build(new RouterStrategy(), """{"default":"general","rules":[{"pattern":"\\+","member":"adder"}]}""");

        var response = await TestEnsemble.AskAsync(client, "1+1=");

        Assert.Equal(("general", "fine"), (TestEnsemble.Winner(response), response.Text));
        Assert.Equal(1, ensemble.Counters.Get("fallbacks"));
        Assert.Equal(1, ensemble.Counters.Get("routed_to.general"));
        Assert.Equal(0, ensemble.Counters.Get("routed_to.adder"));
        var warning = Assert.Single(ensemble.Warnings);
        Assert.Contains("'adder'", warning, StringComparison.Ordinal);
        Assert.Contains("500", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_routed_and_default_members_fail_the_next_member_in_order_answers()
    {
        var ensemble = new TestEnsemble().Member("general", new FailingChatClient()).Member("adder", new FailingChatClient()).Member("sorter", new ScriptedChatClient("sorted"));
        var client = ensemble.Build(new RouterStrategy(), """{"default":"general","rules":[{"pattern":"\\+","member":"adder"}]}""");

        var response = await TestEnsemble.AskAsync(client, "1+1=");

        Assert.Equal(("sorter", "sorted"), (TestEnsemble.Winner(response), response.Text));
        Assert.Equal((2, 1), (ensemble.Counters.Get("fallbacks"), ensemble.Counters.Get("routed_to.sorter")));
        Assert.Equal(2, ensemble.Warnings.Count);
    }

    [Fact]
    public async Task Every_member_failing_is_an_error_naming_each()
    {
        var ensemble = new TestEnsemble().Member("general", new FailingChatClient()).Member("adder", new FailingChatClient());
        var client = ensemble.Build(new RouterStrategy(), """{"default":"general","rules":[{"pattern":"\\+","member":"adder"}]}""");

        var error = await Assert.ThrowsAsync<MedleyException>(() => TestEnsemble.AskAsync(client, "1+1="));

        Assert.Equal("router.member_failed", error.Code);
        Assert.Contains("'adder'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'general'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_the_request_cancels_the_routed_call()
    {
        var hanging = new HangingChatClient();
        var client = new TestEnsemble().Member("a", hanging).Build(new RouterStrategy(), "{}");
        using var cancellation = new CancellationTokenSource();

        var request = TestEnsemble.AskAsync(client, "x", cancellation.Token);
        await hanging.Started.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        Assert.Equal(0, hanging.Running);
    }

    [Theory]
    [InlineData("""{"rules":[{"keywords":["x"],"member":"nobody"}]}""", "parameter.invalid", "'nobody'")]
    [InlineData("""{"rules":[{"member":"adder"}]}""", "parameter.missing", "Rule 1")]
    [InlineData("""{"rules":[{"keywords":["x"]}]}""", "parameter.missing", "'member'")]
    [InlineData("""{"rules":[{"pattern":"(","member":"adder"}]}""", "parameter.invalid", "not a valid regular expression")]
    [InlineData("""{"default":"nobody"}""", "parameter.invalid", "'default'")]
    [InlineData("""{"mode":"random"}""", "parameter.invalid", "'mode'")]
    [InlineData("""{"mode":"rules","threshold":0.5}""", "parameter.invalid", "mode \"rules\"")]
    [InlineData("""{"mode":"embedding"}""", "parameter.missing", "'profile'")]
    [InlineData("""{"mode":"judge"}""", "strategy.members", "'judge'")]
    [InlineData("""{"mode":"embedding","threshold":0.1,"calibration":"x.jsonl"}""", "parameter.invalid", "both")]
    [InlineData("""{"mode":"embedding","threshold":0.1}""", "parameter.invalid", "'tier: strong'")]
    public void Configuration_mistakes_are_refused_when_the_client_is_built(string parameters, string code, string mention)
    {
        var error = Assert.Throws<MedleyException>(() => Members().Build(new RouterStrategy(), parameters));
        Assert.Equal(code, error.Code);
        Assert.Contains(mention, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_router_without_members_is_refused()
    {
        var error = Assert.Throws<MedleyException>(() => new TestEnsemble().Add("j", "judge", new ScriptedChatClient("x")).Build(new RouterStrategy(), "{}"));
        Assert.Equal("strategy.members", error.Code);
    }

    private static TestEnsemble Members() => new TestEnsemble()
        .Member("adder", new ScriptedChatClient("answer from adder"))
        .Member("reverser", new ScriptedChatClient("answer from reverser"))
        .Member("sorter", new ScriptedChatClient("answer from sorter"))
        .Member("general", new ScriptedChatClient("answer from general"));
}
