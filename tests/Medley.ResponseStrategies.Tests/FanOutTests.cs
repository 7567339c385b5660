using Medley.Ensemble.Mbr;
using Medley.Ensemble.Vote;
using Medley.ResponseStrategies.Tests.Support;
using Medley.Sdk;

namespace Medley.ResponseStrategies.Tests;

/// <summary>The fan-out both strategies share: failures, quorum, concurrency limit and cancellation.</summary>
public sealed class FanOutTests
{
    [Fact]
    public async Task A_failing_member_is_dropped_with_a_warning_and_the_others_decide()
    {
        var loggers = new CapturingLoggerFactory();
        var counters = new StrategyCounters();
        var client = EnsembleClients.Create(new VoteStrategy(), """{"quorum":2}""", counters, loggers,
            ("a", new ScriptedChatClient("1")), ("broken", new FailingChatClient()), ("c", new ScriptedChatClient("2")), ("d", new ScriptedChatClient("2")));

        var response = await EnsembleClients.AskAsync(client);

        Assert.Equal("2", response.Text);
        var warning = Assert.Single(loggers.Logger.Warnings);
        Assert.Contains("'broken'", warning, StringComparison.Ordinal);
        Assert.Contains("500", warning, StringComparison.Ordinal);
        Assert.Equal(1, counters.Get("dropped_members"));
    }

    [Fact]
    public async Task All_samples_of_a_member_that_fails_once_are_dropped()
    {
        // b's first sample succeeds but its second fails: none of b's answers may vote.
        var flaky = new FlakyChatClient();
        var client = EnsembleClients.Create(new VoteStrategy(), """{"samples":2,"concurrency":1}""",
            ("a", new ScriptedChatClient("x", "y")), ("b", flaky));

        Assert.Equal("x", (await EnsembleClients.AskAsync(client)).Text);
        Assert.Equal(2, flaky.Calls);
    }

    [Fact]
    public async Task A_member_cancelled_by_its_own_timeout_is_dropped_not_taken_for_a_cancelled_request()
    {
        var loggers = new CapturingLoggerFactory();
        var client = EnsembleClients.Create(new VoteStrategy(), "{}", new StrategyCounters(), loggers,
            ("slow", new TimingOutChatClient()), ("b", new ScriptedChatClient("7")));

        Assert.Equal("7", (await EnsembleClients.AskAsync(client)).Text);
        var warning = Assert.Single(loggers.Logger.Warnings);
        Assert.Contains("'slow'", warning, StringComparison.Ordinal);
        Assert.Contains("timeout", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quorum_larger_than_all_possible_answers_is_refused_when_the_client_is_built()
    {
        var error = Assert.Throws<MedleyException>(() => EnsembleClients.Create(new VoteStrategy(), """{"quorum":5,"samples":2}""",
            ("a", new ScriptedChatClient("x")), ("b", new ScriptedChatClient("x"))));
        Assert.Equal("parameter.invalid", error.Code);
        Assert.Contains("'quorum' is 5", error.Message, StringComparison.Ordinal);
        Assert.Contains("at most 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Losing_the_quorum_is_an_error_naming_the_failed_members()
    {
        var client = EnsembleClients.Create(new MbrStrategy(), """{"quorum":2}""",
            ("a", new FailingChatClient()), ("b", new ScriptedChatClient("ok")), ("c", new FailingChatClient()));

        var error = await Assert.ThrowsAsync<MedleyException>(() => EnsembleClients.AskAsync(client));

        Assert.Equal("response.quorum_lost", error.Code);
        Assert.Contains("'a', 'c'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'quorum'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_member_failing_is_an_error_even_at_the_default_quorum()
    {
        var client = EnsembleClients.Create(new VoteStrategy(), "{}", ("a", new FailingChatClient()));
        var error = await Assert.ThrowsAsync<MedleyException>(() => EnsembleClients.AskAsync(client));
        Assert.Equal("response.quorum_lost", error.Code);
    }

    [Fact]
    public async Task No_more_calls_run_at_once_than_the_concurrency_limit()
    {
        var member = new ScriptedChatClient(TimeSpan.FromMilliseconds(30), "x");
        var client = EnsembleClients.Create(new VoteStrategy(), """{"samples":8,"concurrency":3}""", ("a", member));

        await EnsembleClients.AskAsync(client);

        Assert.Equal(8, member.Calls);
        Assert.Equal(3, member.MaxRunning);
    }

    [Fact]
    public async Task Cancellation_stops_the_fan_out_and_leaves_no_call_running()
    {
        var first = new HangingChatClient();
        var second = new HangingChatClient();
        var waiting = new ScriptedChatClient("never asked");
        var loggers = new CapturingLoggerFactory();
        var client = EnsembleClients.Create(new VoteStrategy(), """{"concurrency":2}""", new StrategyCounters(), loggers,
            ("a", first), ("b", second), ("c", waiting));
        using var cancellation = new CancellationTokenSource();

        var request = EnsembleClients.AskAsync(client, cancellation.Token);
        await Task.WhenAll(first.Started, second.Started).WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        Assert.Equal((0, 0, 0), (first.Running, second.Running, waiting.Running));
        Assert.Equal(0, waiting.Calls);
        Assert.Empty(loggers.Logger.Warnings);
    }

    [Fact]
    public void An_ensemble_without_members_is_refused()
    {
        var error = Assert.Throws<MedleyException>(() => EnsembleClients.Create(new MbrStrategy(), "{}"));
        Assert.Equal("strategy.members", error.Code);
    }

    /// <summary>Cancels its own call, as a per-member timeout does, while the request goes on.</summary>
    private sealed class TimingOutChatClient : ScriptedChatClient
    {
        public TimingOutChatClient()
            : base("never returned")
        {
        }

        protected override async Task AnswerDelayAsync(CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMilliseconds(20));
            await Task.Delay(Timeout.Infinite, timeout.Token);
        }
    }

    /// <summary>Answers its first call, fails its second.</summary>
    private sealed class FlakyChatClient : ScriptedChatClient
    {
        private int _answered;

        public FlakyChatClient()
            : base("z")
        {
        }

        protected override Task AnswerDelayAsync(CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _answered) == 1 ? Task.CompletedTask : Task.FromException(new TimeoutException("member timed out"));
    }
}
