using System.Net;

namespace Medley.Server.Tests;

/// <summary>The bounded queue, client disconnects and shutdown, driven by members that answer only when a gate opens.</summary>
public sealed class QueueAndCancellationTests
{
    private const string Body = """{"model":"gated","messages":[{"role":"user","content":"hi"}]}""";
    private const string StreamBody = """{"model":"gated","messages":[{"role":"user","content":"hi"}],"stream":true}""";

    [Fact]
    public async Task Beyond_the_running_and_waiting_requests_a_request_is_429_with_retry_after()
    {
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var member = new ScriptedChatClient(_ => gate.Task);
        await using var server = await LoopbackServer.StartAsync([("gated", member)], o =>
        {
            o.Concurrency = 1;
            o.QueueLimit = 1;
            o.RetryAfterSeconds = 3;
        });

        var running = server.PostChatAsync(Body);
        await WaitUntil(() => member.Calls == 1);
        var waiting = server.PostChatAsync(Body);

        await WaitUntil(() => server.Server.WaitingRequests == 1);
        var refused = await server.PostChatAsync(Body);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var error = await LoopbackServer.ErrorAsync(refused);
        Assert.Equal("queue_full", error["code"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(3), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(1, member.Calls);
        refused.Dispose();

        gate.SetResult("done");
        using var first = await running;
        using var second = await waiting;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, member.Calls);

        // With the slots free again, a new request runs.
        using var after = await server.PostChatAsync(Body);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task A_client_that_disconnects_cancels_its_generation_and_frees_its_slot()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var member = new ScriptedChatClient(async cancellationToken =>
        {
            using var registration = cancellationToken.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return "never";
        });
        await using var server = await LoopbackServer.StartAsync([("gated", member)], o =>
        {
            o.Concurrency = 1;
            o.QueueLimit = 0;
        });

        using var disconnect = new CancellationTokenSource();
        var request = server.PostChatAsync(StreamBody, cancellationToken: disconnect.Token);
        await WaitUntil(() => member.Calls == 1);
        await disconnect.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The one slot is free again: the next request is queued and run, not refused.
        var second = server.PostChatAsync(StreamBody);
        await WaitUntil(() => member.Calls == 2);
        Assert.False(second.IsCompleted);
    }

    [Fact]
    public async Task A_waiting_request_whose_client_disconnects_gives_up_its_queue_place()
    {
        var gate = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var member = new ScriptedChatClient(_ => gate.Task);
        await using var server = await LoopbackServer.StartAsync([("gated", member)], o =>
        {
            o.Concurrency = 1;
            o.QueueLimit = 1;
        });

        var running = server.PostChatAsync(Body);
        await WaitUntil(() => member.Calls == 1);
        using var disconnect = new CancellationTokenSource();
        var leaving = server.PostChatAsync(Body, cancellationToken: disconnect.Token);
        await WaitUntil(() => server.Server.WaitingRequests == 1);
        await disconnect.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        await WaitUntil(() => server.Server.WaitingRequests == 0);

        // Its place is free: the next request waits instead of being refused, and both then run.
        var next = server.PostChatAsync(Body);
        await WaitUntil(() => server.Server.WaitingRequests == 1);
        gate.SetResult("done");
        using var first = await running;
        using var second = await next;
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, member.Calls);
    }

    [Fact]
    public async Task Stopping_the_server_cancels_a_generation_in_flight()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var member = new ScriptedChatClient(async cancellationToken =>
        {
            using var registration = cancellationToken.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return "never";
        });
        var server = await LoopbackServer.StartAsync([("gated", member)]);
        var request = server.PostChatAsync(StreamBody);
        await WaitUntil(() => member.Calls == 1);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await server.DisposeAsync();

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(1));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"stopping took {clock.Elapsed}");
        await Assert.ThrowsAnyAsync<Exception>(() => request);
    }

    [Fact]
    public async Task A_stream_the_member_refuses_before_its_first_piece_is_a_json_error_not_an_event_stream()
    {
        var member = new ScriptedChatClient(_ => throw new Medley.Sdk.MedleyException("chat.prompt.empty", "The chat template renders the messages to no tokens."));
        await using var server = await LoopbackServer.StartAsync([("gated", member)]);
        using var response = await server.PostChatAsync(StreamBody);
        var error = await LoopbackServer.ErrorAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("chat.prompt.empty", error["code"]!.GetValue<string>());
        Assert.Contains("no tokens", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_the_server_disposes_the_clients_it_loaded()
    {
        var loaded = new ScriptedChatClient(_ => Task.FromResult("x"));
        var neverAsked = new ScriptedChatClient(_ => Task.FromResult("y"));
        var server = await LoopbackServer.StartAsync([("gated", loaded), ("other", neverAsked)]);
        using (var response = await server.PostChatAsync(Body))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await server.DisposeAsync();

        Assert.True(loaded.Disposed);
        Assert.False(neverAsked.Disposed);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the server");
            await Task.Delay(10);
        }
    }
}
