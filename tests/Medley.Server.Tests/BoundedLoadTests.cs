using System.Net;
using Xunit.Abstractions;

namespace Medley.Server.Tests;

/// <summary>
/// 200 concurrent streams against 4 slots and a queue of 32: none lost, the queue never past its limit, and the
/// managed heap bounded. Alone in its collection, which runs with no other test beside it, so that no other test's
/// allocations show in the heap it measures.
/// </summary>
[Collection(LoadTestCollection.Name)]
public sealed class BoundedLoadTests(ITestOutputHelper output)
{
    private const string StreamBody = """{"model":"gated","messages":[{"role":"user","content":"hi"}],"stream":true}""";

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
}
