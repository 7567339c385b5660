using Microsoft.ML.OnnxRuntime;

namespace Medley.Host.Runtime;

/// <summary>
/// The past key/value tensors of one sequence, one per <c>past_key_values.*</c> input. A run reads them and
/// returns new ones, never writing into its inputs, so a fork can hold the same tensors instead of a copy;
/// the count of holders decides when the native memory is freed.
/// </summary>
internal sealed class KvCache
{
    private readonly OrtValue[] _values;
    private int _holders = 1;

    public KvCache(OrtValue[] values) => _values = values;

    public IReadOnlyList<OrtValue> Values => _values;

    /// <summary>Slots in each tensor (its sequence dimension), live or not.</summary>
    public int PhysicalLength => _values.Length == 0 ? 0 : CacheTensors.Length(_values[0]);

    public KvCache Share()
    {
        Interlocked.Increment(ref _holders);
        return this;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _holders) == 0)
        {
            foreach (var value in _values)
            {
                value.Dispose();
            }
        }
    }
}
