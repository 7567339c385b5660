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

        if (Interlocked.Increment(ref _waiting) > queueLimit)
        {
            Interlocked.Decrement(ref _waiting);
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
