using System.Net;
using Xunit.Abstractions;

namespace Medley.Server.Tests;

/// <summary>The bounded queue, client disconnects and shutdown, driven by members that answer only when a gate opens.</summary>
public sealed class QueueAndCancellationTests(ITestOutputHelper output)
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
    public async Task Two_hundred_concurrent_streams_are_each_answered_or_refused_with_429_and_none_is_lost_in_bounded_memory()
    {
        const int Concurrency = 4;
        const int QueueLimit = 32;
        const int Rounds = 3;
        var running = 0;
        var mostRunning = 0;
        var member = new ScriptedChatClient(async cancellationToken =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostRunning, now);
            try
            {
                await Task.Delay(20, cancellationToken);
                return "one two three";
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        });
        await using var server = await LoopbackServer.StartAsync([("gated", member)], o =>
        {
            o.Concurrency = Concurrency;
            o.QueueLimit = QueueLimit;
        });
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256 };
        using var http = new HttpClient(handler) { BaseAddress = server.BaseUri };

        // The queue is watched throughout: it must never hold more than --queue requests.
        var mostWaiting = 0;
        using var stopWatching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!stopWatching.IsCancellationRequested)
            {
                InterlockedMax(ref mostWaiting, server.Server.WaitingRequests);
                await Task.Yield();
            }
        });

        var memory = new List<long> { HeapAfterFullCollection() };
        var totalAnswered = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
            {
                using var content = new StringContent(StreamBody, System.Text.Encoding.UTF8, "application/json");
                using var response = await http.PostAsync("/v1/chat/completions", content);
                var text = await response.Content.ReadAsStringAsync();
                return (response.StatusCode, Complete: text.Contains("\"content\":\"three \"", StringComparison.Ordinal) && text.EndsWith("data: [DONE]\n\n", StringComparison.Ordinal));
            }));

            var answered = outcomes.Count(o => o.StatusCode == HttpStatusCode.OK);
            var refused = outcomes.Count(o => o.StatusCode == HttpStatusCode.TooManyRequests);
            Assert.Equal(200, answered + refused);
            Assert.All(outcomes.Where(o => o.StatusCode == HttpStatusCode.OK), o => Assert.True(o.Complete));

            // At most 4 run and 32 wait at any time, so at least those were answered.
            Assert.True(answered >= Concurrency + QueueLimit, $"only {answered} answered");
            totalAnswered += answered;
            memory.Add(HeapAfterFullCollection());
            output.WriteLine($"round {round + 1}: {answered} answered, {refused} refused (429), managed heap {memory[^1] / 1024.0 / 1024.0:0.00} MiB");
        }

        await stopWatching.CancelAsync();
        await watcher;
        Assert.Equal(totalAnswered, member.Calls);

        // Memory bounded: admission caps the work in flight, so the heap after a round does not grow with the number of
        // rounds. Bounds: the first round may warm up (JIT, Kestrel's buffer pool) by at most 32 MiB; each later round
        // of 200 streams adds less than 4 MiB over the one before.
        var warmUp = memory[1] - memory[0];
        var steady = memory.Skip(1).Zip(memory.Skip(2), (before, after) => after - before).Max();
        output.WriteLine($"heap before {memory[0] / 1024.0 / 1024.0:0.00} MiB; warm-up growth {warmUp / 1024.0 / 1024.0:0.00} MiB (bound 32); largest later growth {steady / 1024.0 / 1024.0:0.00} MiB (bound 4)");
        output.WriteLine($"most waiting {mostWaiting} (queue {QueueLimit}); most running {mostRunning} (concurrency {Concurrency})");
        Assert.True(warmUp < 32L * 1024 * 1024, $"the first round grew the heap by {warmUp} bytes");
        Assert.True(steady < 4L * 1024 * 1024, $"a later round grew the heap by {steady} bytes");
        Assert.InRange(mostWaiting, 1, QueueLimit);
        Assert.InRange(mostRunning, 1, Concurrency);
    }

    // The managed heap's size right after a blocking, compacting full collection: what is still alive, plus little slack.
    private static long HeapAfterFullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
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
