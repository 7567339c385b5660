using Medley.Host.Responses;
using Medley.Host.Running;
using Medley.Sdk;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medley.Responses.Tests;

/// <summary>Remote members through the OpenAI client against a real loopback server: retries, timeouts, accounting.</summary>
public sealed class RemoteMemberTests : IDisposable
{
    private static readonly RunChatClientOptions FastRetries = new() { RetryDelay = TimeSpan.FromMilliseconds(20) };
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Two_503s_then_an_answer_succeed_on_the_third_attempt_and_are_accounted()
    {
        using var server = new LoopbackServer((number, context) => number <= 2
            ? LoopbackServer.WriteAsync(context, 503, """{"error":{"message":"busy","type":"server_error"}}""")
            : LoopbackServer.WriteAsync(context, 200, LoopbackServer.Completion("357", promptTokens: 12, completionTokens: 3)));
        var variable = "MEDLEY_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "sk-loopback");
        try
        {
            using var run = await CreateAsync($$"""
                strategy: vote
                models:
                  member:
                    - { endpoint: '{{server.BaseUrl}}', model: remote-m, name: far, api_key_env: {{variable}}, retries: 2, timeout_s: 5, cost: { input_per_million: 1000, output_per_million: 4000 } }
                """);

            var response = await run.Client.GetResponseAsync([new ChatMessage(ChatRole.User, "12+345=")]);

            Assert.Equal("357", response.Text);
            Assert.Equal("far", response.AdditionalProperties?[ResponseProperties.Winner]);
            Assert.Equal(3, server.Requests);
            Assert.Equal("Bearer sk-loopback", server.LastAuthorization);
            Assert.Contains("\"model\":\"remote-m\"", server.LastBody, StringComparison.Ordinal);
            Assert.Contains("12+345=", server.LastBody, StringComparison.Ordinal);
            var usage = Assert.Single(run.Members());
            Assert.Equal((1L, 0L, 3L, 12L, 3L, 1L), (usage.Calls, usage.Failures, usage.Attempts, usage.InputTokens, usage.OutputTokens, usage.Wins));
            // 12 × 1000 / 1e6 + 3 × 4000 / 1e6
            Assert.Equal(0.024, usage.Cost, 12);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task A_500_with_no_retries_left_fails_with_the_status_and_the_member_named()
    {
        using var server = new LoopbackServer((_, context) => LoopbackServer.WriteAsync(context, 500, """{"error":{"message":"boom","type":"server_error"}}"""));
        var member = Member(server.BaseUrl, retries: 1, timeout: 5);
        var account = new MemberAccount(member.Name, member.Role, member.Path, null);
        using var remotes = RemoteMemberClients.Create([(member, account)], FastRetries.RetryDelay);
        var client = remotes.CreateClient(member);

        var error = await Assert.ThrowsAsync<MedleyException>(() => client.GetResponseAsync("hi"));

        Assert.Equal(ResponseErrorCodes.MemberFailed, error.Code);
        Assert.StartsWith($"Member 'far' (model 'remote-m' at {server.BaseUrl}) answered HTTP 500 (1 retry for transient errors): ", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests);
        Assert.Equal(2, account.Snapshot().Attempts);
    }

    [Fact]
    public async Task A_400_is_not_retried()
    {
        using var server = new LoopbackServer((_, context) => LoopbackServer.WriteAsync(context, 400, """{"error":{"message":"bad model","type":"invalid_request_error"}}"""));
        var member = Member(server.BaseUrl, retries: 3, timeout: 5);
        using var remotes = RemoteMemberClients.Create([(member, new MemberAccount(member.Name, member.Role, member.Path, null))], FastRetries.RetryDelay);

        var error = await Assert.ThrowsAsync<MedleyException>(() => remotes.CreateClient(member).GetResponseAsync("hi"));

        Assert.Equal(ResponseErrorCodes.MemberFailed, error.Code);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_hanging_server_hits_the_attempt_timeout_with_a_clear_error()
    {
        using var server = new LoopbackServer((_, _) => Task.Delay(TimeSpan.FromSeconds(30)));
        var member = Member(server.BaseUrl, retries: 0, timeout: 0.5);
        using var remotes = RemoteMemberClients.Create([(member, new MemberAccount(member.Name, member.Role, member.Path, null))], FastRetries.RetryDelay);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<MedleyException>(() => remotes.CreateClient(member).GetResponseAsync("hi"));

        Assert.Equal(ResponseErrorCodes.MemberTimeout, error.Code);
        Assert.Equal($"Member 'far' (model 'remote-m' at {server.BaseUrl}) did not answer within timeout_s of 0.5 s per attempt (0 retries); raise timeout_s or check the server.", error.Message);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.4, 10);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task In_a_vote_a_hanging_member_is_dropped_and_the_rest_answer()
    {
        using var good = new LoopbackServer((_, context) => LoopbackServer.WriteAsync(context, 200, LoopbackServer.Completion("ok", 5, 1)));
        using var hanging = new LoopbackServer((_, _) => Task.Delay(TimeSpan.FromSeconds(30)));
        using var run = await CreateAsync($$"""
            strategy: vote
            models:
              member:
                - { endpoint: '{{hanging.BaseUrl}}', model: m, name: stuck, retries: 0, timeout_s: 0.3 }
                - { endpoint: '{{good.BaseUrl}}', model: m, name: fine }
            """);

        var response = await run.Client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        Assert.Equal("ok", response.Text);
        var members = run.Members();
        Assert.Equal((1L, 1L, 0L), (members[0].Calls, members[0].Failures, members[0].Wins));
        Assert.Equal((1L, 0L, 1L), (members[1].Calls, members[1].Failures, members[1].Wins));
        Assert.Equal(1, run.Counters()["dropped_members"]);
    }

    [Fact]
    public async Task A_member_answering_garbage_fails_clearly_and_is_dropped_from_the_vote()
    {
        // HTTP 200 with a body that is no chat completion: not transient, so one attempt, then the member is dropped.
        using var garbage = new LoopbackServer((_, context) => LoopbackServer.WriteAsync(context, 200, "<html>upstream proxy says hello</html>"));
        using var good = new LoopbackServer((_, context) => LoopbackServer.WriteAsync(context, 200, LoopbackServer.Completion("ok", 5, 1)));
        var member = Member(garbage.BaseUrl, retries: 2, timeout: 5);
        using (var remotes = RemoteMemberClients.Create([(member, new MemberAccount(member.Name, member.Role, member.Path, null))], FastRetries.RetryDelay))
        {
            var error = await Assert.ThrowsAsync<MedleyException>(() => remotes.CreateClient(member).GetResponseAsync("hi"));
            Assert.Equal(ResponseErrorCodes.MemberFailed, error.Code);
            Assert.StartsWith($"Member 'far' (model 'remote-m' at {garbage.BaseUrl}) answered with something that is not an OpenAI chat completion", error.Message, StringComparison.Ordinal);
            Assert.Equal(1, garbage.Requests);
        }

        using var run = await CreateAsync($$"""
            strategy: vote
            models:
              member:
                - { endpoint: '{{garbage.BaseUrl}}', model: m, name: broken, retries: 2 }
                - { endpoint: '{{good.BaseUrl}}', model: m, name: fine }
            """);

        var response = await run.Client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]);

        Assert.Equal("ok", response.Text);
        var members = run.Members();
        Assert.Equal((1L, 1L, 0L), (members[0].Calls, members[0].Failures, members[0].Wins));
        Assert.Equal(1L, members[0].Attempts);
        Assert.Equal(1, run.Counters()["dropped_members"]);
    }

    [Fact]
    public async Task Streaming_through_the_run_gives_the_answer_and_credits_the_winner()
    {
        using var good = new LoopbackServer((_, context) => LoopbackServer.WriteAsync(context, 200, LoopbackServer.Completion("42", 4, 1)));
        using var run = await CreateAsync($$"""
            strategy: vote
            models:
              member: [{ endpoint: '{{good.BaseUrl}}', model: m, name: only }]
            sampling: { temperature: 0, max_tokens: 5 }
            """);

        var updates = await run.Client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")]).ToListAsync();

        Assert.Equal("42", updates.ToChatResponse().Text);
        Assert.Equal(1, Assert.Single(run.Members()).Wins);
        // The run's sampling section reached the server as the request's defaults.
        Assert.Contains("\"temperature\":0", good.LastBody, StringComparison.Ordinal);
        Assert.Contains("5", good.LastBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_request_mid_call_cancels_the_member_call_without_counting_a_failure()
    {
        using var cancel = new CancellationTokenSource();
        // The request is cancelled once the server holds it, so the member's call is in flight.
        using var hanging = new LoopbackServer(async (_, _) =>
        {
            await cancel.CancelAsync();
            await Task.Delay(TimeSpan.FromSeconds(30));
        });
        using var run = await CreateAsync($$"""
            strategy: vote
            models:
              member: [{ endpoint: '{{hanging.BaseUrl}}', model: m, name: slow, timeout_s: 30, retries: 0 }]
            """);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.Client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], cancellationToken: cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the call outlived its cancellation by {clock.Elapsed}");
        var usage = Assert.Single(run.Members());
        Assert.Equal((1L, 0L, 1L), (usage.Calls, usage.Failures, usage.Attempts));
    }

    private static RunMemberConfig Member(string endpoint, int retries, double timeout) =>
        new("member", string.Empty, "far", null, StrategyParameters.Empty)
        {
            Remote = new RemoteMemberConfig(new Uri(endpoint), "remote-m", null),
            Retries = retries,
            Timeout = TimeSpan.FromSeconds(timeout),
        };

    private async Task<RunChatClient> CreateAsync(string yaml)
    {
        var path = _temp.Combine("run.yml");
        await File.WriteAllTextAsync(path, yaml);
        await using var host = Support.CreateHost();
        return await RunChatClients.CreateAsync(host.Plugins, RunConfigReader.Read(path), NullLoggerFactory.Instance, FastRetries, CancellationToken.None);
    }
}
