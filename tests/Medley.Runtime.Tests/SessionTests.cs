using Medley.Sdk.Models;

namespace Medley.Runtime.Tests;

/// <summary>Rewind, fork, cancellation and disposal of decoding sessions whose cache comes back in CPU memory (rewind truncates).</summary>
public sealed class SessionTests() : SessionBehaviour(bindCache: false);

/// <summary>The same behaviour with the cache bound through I/O binding, as on a GPU (rewind masks slots out).</summary>
public sealed class BoundCacheSessionTests() : SessionBehaviour(bindCache: true)
{
    [Fact]
    public async Task Masked_rewinds_stay_exact_and_dead_slots_are_reclaimed_by_a_rebuild()
    {
        var random = new Random(7);
        using var session = (Medley.Host.Runtime.OnnxDecodingSession)Model.CreateSession();
        var kept = new List<int> { 5, 17 };
        await session.AppendAsync(kept.ToArray());
        var sawDeadSlots = false;
        for (var round = 0; round < 40; round++)
        {
            // Speculative decoding's pattern: append a few, keep some, drop the rest.
            var drafted = Enumerable.Range(0, 4).Select(_ => random.Next(64)).ToArray();
            await session.AppendAsync(drafted);
            var accept = random.Next(0, 4);
            kept.AddRange(drafted.Take(accept));
            session.Rewind(kept.Count);
            sawDeadSlots |= session.DeadSlots > 0;
            Assert.Equal(kept, session.Tokens);
            if (kept.Count > 24)
            {
                break;
            }
        }

        Assert.True(sawDeadSlots);
        var next = random.Next(64);
        var logits = await session.AppendAsync(new[] { next });
        kept.Add(next);
        var reference = ReferenceForward.Llama(Checkpoint, kept.ToArray());
        Assert.True(ModelFixtures.MaxAbsDiff([logits.Last.ToArray()], [reference[^1]]) <= 1e-4);
    }

    [Fact]
    public async Task Many_dead_slots_trigger_a_rebuild_that_keeps_the_logits()
    {
        using var session = (Medley.Host.Runtime.OnnxDecodingSession)Model.CreateSession();
        await session.AppendAsync(new[] { 1, 2 });
        for (var round = 0; round < 10; round++)
        {
            await session.AppendAsync(Enumerable.Range(10, 7).ToArray());
            session.Rewind(2);
        }

        Assert.Equal(70, session.DeadSlots);
        var logits = await session.AppendAsync(new[] { 3, 4 }, LogitsScope.All);
        Assert.Equal(0, session.DeadSlots);
        var reference = ReferenceForward.Llama(Checkpoint, [1, 2, 3, 4]);
        var rows = Enumerable.Range(0, 2).Select(i => logits.Row(i).ToArray()).ToArray();
        Assert.True(ModelFixtures.MaxAbsDiff(rows, reference[^2..]) <= 1e-4);
    }
}

public abstract class SessionBehaviour : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly TinyCheckpoint _checkpoint = TinyCheckpoint.Llama(seed: 21, kvHeads: 2);
    private readonly Medley.Host.Runtime.OnnxCausalLanguageModel _model;

    protected SessionBehaviour(bool bindCache) => _model = ModelFixtures.Load(ModelFixtures.Export(_checkpoint, _temp), bindCache: bindCache);

    protected Medley.Host.Runtime.OnnxCausalLanguageModel Model => _model;

    protected TinyCheckpoint Checkpoint => _checkpoint;

    [Fact]
    public async Task Rewind_then_decode_equals_never_having_decoded_the_dropped_tokens()
    {
        int[] kept = [5, 17, 3, 42];
        int[] dropped = [9, 63, 0];
        int[] after = [28, 11];
        using var rewound = _model.CreateSession();
        await rewound.AppendAsync(kept.Concat(dropped).ToArray());
        rewound.Rewind(kept.Length);
        Assert.Equal(kept, rewound.Tokens);
        var afterRewind = await rewound.AppendAsync(after, LogitsScope.All);

        using var straight = _model.CreateSession();
        await straight.AppendAsync(kept);
        var direct = await straight.AppendAsync(after, LogitsScope.All);

        var directRows = Enumerable.Range(0, 2).Select(i => direct.Row(i).ToArray()).ToArray();
        var rewoundRows = Enumerable.Range(0, 2).Select(i => afterRewind.Row(i).ToArray()).ToArray();
        Assert.True(ModelFixtures.MaxAbsDiff(rewoundRows, directRows) <= 1e-5);
        var reference = ReferenceForward.Llama(_checkpoint, kept.Concat(after).ToArray());
        Assert.True(ModelFixtures.MaxAbsDiff(rewoundRows, reference[^2..]) <= 1e-4);
    }

    [Fact]
    public async Task Rewind_to_zero_starts_over_and_rewind_to_length_changes_nothing()
    {
        using var session = _model.CreateSession();
        await session.AppendAsync(new[] { 1, 2, 3 });
        session.Rewind(3);
        Assert.Equal(3, session.Length);
        session.Rewind(0);
        Assert.Equal(0, session.Length);
        var again = await session.AppendAsync(new[] { 4 });
        var fresh = await ModelFixtures.AllAtOnce(_model, [4]);
        Assert.True(ModelFixtures.MaxAbsDiff([again.Last.ToArray()], fresh) <= 1e-5);
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Rewind(2));
    }

    [Fact]
    public async Task Fork_shares_the_past_and_has_its_own_future()
    {
        using var parent = _model.CreateSession();
        await parent.AppendAsync(new[] { 5, 17, 3 });
        using var child = parent.Fork();
        Assert.Equal(parent.Tokens, child.Tokens);

        var childLogits = await child.AppendAsync(new[] { 42 });
        var parentLogits = await parent.AppendAsync(new[] { 9 });
        using var grandchild = parent.Fork();
        var parentAgain = await grandchild.AppendAsync(new[] { 1 });

        var reference42 = ReferenceForward.Llama(_checkpoint, [5, 17, 3, 42]);
        var reference9 = ReferenceForward.Llama(_checkpoint, [5, 17, 3, 9]);
        var reference1 = ReferenceForward.Llama(_checkpoint, [5, 17, 3, 9, 1]);
        Assert.True(ModelFixtures.MaxAbsDiff([childLogits.Last.ToArray()], [reference42[^1]]) <= 1e-4);
        Assert.True(ModelFixtures.MaxAbsDiff([parentLogits.Last.ToArray()], [reference9[^1]]) <= 1e-4);
        Assert.True(ModelFixtures.MaxAbsDiff([parentAgain.Last.ToArray()], [reference1[^1]]) <= 1e-4);
        Assert.Equal([5, 17, 3, 42], child.Tokens);
        Assert.Equal([5, 17, 3, 9], parent.Tokens);
    }

    [Fact]
    public async Task A_fork_outlives_its_disposed_parent()
    {
        var parent = _model.CreateSession();
        await parent.AppendAsync(new[] { 5, 17 });
        using var child = parent.Fork();
        parent.Dispose();
        var logits = await child.AppendAsync(new[] { 3 });
        var reference = ReferenceForward.Llama(_checkpoint, [5, 17, 3]);
        Assert.True(ModelFixtures.MaxAbsDiff([logits.Last.ToArray()], [reference[^1]]) <= 1e-4);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await parent.AppendAsync(new[] { 1 }));
    }

    [Fact]
    public async Task A_cancelled_append_leaves_the_session_unchanged()
    {
        using var session = _model.CreateSession();
        await session.AppendAsync(new[] { 5, 17 });
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await session.AppendAsync(new[] { 3 }, cancellationToken: cancellation.Token));
        Assert.Equal([5, 17], session.Tokens);
        var logits = await session.AppendAsync(new[] { 3 });
        var reference = ReferenceForward.Llama(_checkpoint, [5, 17, 3]);
        Assert.True(ModelFixtures.MaxAbsDiff([logits.Last.ToArray()], [reference[^1]]) <= 1e-4);
    }

    [Fact]
    public async Task Appending_nothing_is_refused()
    {
        using var session = _model.CreateSession();
        await Assert.ThrowsAsync<ArgumentException>(async () => await session.AppendAsync(ReadOnlyMemory<int>.Empty));
    }

    [Fact]
    public async Task Token_ids_outside_the_vocabulary_and_appends_past_the_context_are_refused()
    {
        using var session = _model.CreateSession();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await session.AppendAsync(new[] { 3, 64 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await session.AppendAsync(new[] { -1 }));
        await session.AppendAsync(Enumerable.Range(0, 120).Select(i => i % 64).ToArray());
        var error = await Assert.ThrowsAsync<Medley.Sdk.MedleyException>(async () => await session.AppendAsync(new int[9]));
        Assert.Equal(Medley.Host.Runtime.OnnxRuntimeErrorCodes.ContextExceeded, error.Code);
        Assert.Contains("Appending 9 token(s) to 120 would exceed the context length 128", error.Message, StringComparison.Ordinal);
        Assert.Equal(120, session.Length);
        await session.AppendAsync(new int[8]);
        Assert.Equal(128, session.Length);
    }

    public void Dispose()
    {
        _model.Dispose();
        _temp.Dispose();
    }
}
