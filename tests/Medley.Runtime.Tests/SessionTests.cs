using Medley.Sdk.Models;

namespace Medley.Runtime.Tests;

/// <summary>Rewind, fork, cancellation and disposal of decoding sessions.</summary>
public sealed class SessionTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly TinyCheckpoint _checkpoint = TinyCheckpoint.Llama(seed: 21, kvHeads: 2);
    private readonly Medley.Host.Runtime.OnnxCausalLanguageModel _model;

    public SessionTests() => _model = ModelFixtures.Load(ModelFixtures.Export(_checkpoint, _temp));

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
