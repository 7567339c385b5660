using Medley.Host.Responses;
using Medley.Host.Running;
using Microsoft.Extensions.AI;

namespace Medley.Responses.Tests;

/// <summary>The per-member accounting wrapper: calls, failures, latency, tokens and cost, to the unit.</summary>
public sealed class AccountingTests
{
    private static readonly TimeSpan Quarter = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task Calls_failures_latency_tokens_and_cost_add_up_exactly()
    {
        var clock = new ManualClock();
        var account = new MemberAccount("m", "member", "here", new MemberCost(InputPerMillion: 2, OutputPerMillion: 6));
        var member = new ScriptedChatClient(clock, (Quarter, "a", 1000, 500), (TimeSpan.FromSeconds(1), null, 0, 0), (Quarter * 3, "b", 200, 100));
        using var client = new AccountingChatClient(member, account, clock, countAttempts: true);

        await client.GetResponseAsync("q");
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("q"));
        await client.GetResponseAsync("q");

        var usage = account.Snapshot();
        Assert.Equal(3, usage.Calls);
        Assert.Equal(1, usage.Failures);
        Assert.Equal(3, usage.Attempts);
        Assert.Equal(2.0, usage.TotalLatencySeconds, 12);
        Assert.Equal(2.0 / 3, usage.MeanLatencySeconds, 12);
        Assert.Equal(1200, usage.InputTokens);
        Assert.Equal(600, usage.OutputTokens);
        // 1200 × 2 / 1e6 + 600 × 6 / 1e6 = 0.0024 + 0.0036
        Assert.Equal(0.006, usage.Cost, 12);
        Assert.Equal(0, usage.Wins);
    }

    [Fact]
    public async Task Streaming_calls_take_their_usage_from_the_usage_update_and_count_a_thrown_stream_as_failed()
    {
        var clock = new ManualClock();
        var account = new MemberAccount("m", "member", "here", new MemberCost(1_000_000, 0));
        var member = new ScriptedChatClient(clock, (Quarter, "x", 7, 3), (Quarter, null, 0, 0));
        using var client = new AccountingChatClient(member, account, clock, countAttempts: false);

        var text = string.Concat(await client.GetStreamingResponseAsync("q").Select(u => u.Text).ToListAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await client.GetStreamingResponseAsync("q").ToListAsync());

        var usage = account.Snapshot();
        Assert.Equal("x", text);
        Assert.Equal(2, usage.Calls);
        Assert.Equal(1, usage.Failures);
        Assert.Equal(0, usage.Attempts);
        Assert.Equal(0.5, usage.TotalLatencySeconds, 12);
        Assert.Equal(7, usage.InputTokens);
        Assert.Equal(3, usage.OutputTokens);
        Assert.Equal(7.0, usage.Cost, 12);
    }

    [Fact]
    public async Task A_call_the_caller_cancels_is_counted_but_not_as_a_failure()
    {
        var clock = new ManualClock();
        var account = new MemberAccount("m", "member", "here", cost: null);
        using var client = new AccountingChatClient(new HangingChatClient(), account, clock, countAttempts: true);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync("q", cancellationToken: cancel.Token));

        var usage = account.Snapshot();
        Assert.Equal(1, usage.Calls);
        Assert.Equal(0, usage.Failures);
        Assert.Equal(0, usage.Cost);
    }

    [Fact]
    public async Task A_local_member_past_its_timeout_fails_with_the_member_named()
    {
        var account = new MemberAccount("slow", "member", "here", cost: null);
        using var client = new AccountingChatClient(
            new MemberTimeoutChatClient(new HangingChatClient(), "slow", TimeSpan.FromMilliseconds(100), TimeProvider.System), account, TimeProvider.System, countAttempts: true);

        var error = await Assert.ThrowsAsync<Medley.Sdk.MedleyException>(() => client.GetResponseAsync("q"));

        Assert.Equal(ResponseErrorCodes.MemberTimeout, error.Code);
        Assert.Equal("Member 'slow' did not answer within its timeout_s of 0.1 s; raise timeout_s in the run config or lower max_tokens.", error.Message);
        Assert.Equal(1, account.Snapshot().Failures);
    }

    private sealed class HangingChatClient : IChatClient
    {
        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
