namespace Medley.Host.Merging.Engine;

/// <summary>
/// Bytes of tensor buffers the merge may hold at once. A tensor waits until its estimate fits; a tensor
/// larger than the whole budget runs alone, so that any model can be merged within any budget.
/// </summary>
internal sealed class TensorMemoryBudget(long capacity)
{
    private readonly object _gate = new();
    private long _inUse;

    public long Acquire(long bytes, CancellationToken cancellationToken)
    {
        var granted = Math.Min(bytes, capacity);
        lock (_gate)
        {
            while (_inUse + granted > capacity)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Monitor.Wait(_gate, TimeSpan.FromMilliseconds(100));
            }

            _inUse += granted;
        }

        return granted;
    }

    public void Release(long granted)
    {
        lock (_gate)
        {
            _inUse -= granted;
            Monitor.PulseAll(_gate);
        }
    }
}
