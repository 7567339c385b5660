namespace Medley.Server;

/// <summary>
/// A bounded queue in front of generation: at most <c>concurrency</c> requests run and at most <c>queueLimit</c>
/// wait; a request beyond both is refused at once, so an overloaded server answers 429 instead of piling up work.
/// </summary>
internal sealed class RequestGate(int concurrency, int queueLimit) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);
    private int _waiting;

    /// <summary>A slot to run in, or null when the queue is full. Cancelled while waiting, it gives up its place.</summary>
    public async ValueTask<IDisposable?> TryEnterAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return new Lease(_slots);
        }

        if (!TryJoinQueue())
        {
            return null;
        }

        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new Lease(_slots);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>How many requests wait for a slot now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public void Dispose() => _slots.Dispose();

    // Takes a place only while one is free, so the count never passes the limit, not even for an instant
    // (an increment-then-undo would briefly report one waiter too many).
    private bool TryJoinQueue()
    {
        var waiting = Volatile.Read(ref _waiting);
        while (waiting < queueLimit)
        {
            var seen = Interlocked.CompareExchange(ref _waiting, waiting + 1, waiting);
            if (seen == waiting)
            {
                return true;
            }

            waiting = seen;
        }

        return false;
    }

    private sealed class Lease(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
