using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Medley.Sdk.Merging.Primitives;

/// <summary>
/// TIES sign election. Per element the majority sign is <c>s = sign(Σ wᵢ·δᵢ)</c>, zero counting as positive; a
/// task vector takes part at that element only when its weighted value <c>wᵢ·δᵢ</c> has sign <c>s</c> (a zero never
/// does, as in mergekit's <c>sign(wᵢδᵢ) == s</c>).
/// </summary>
public static class SignConsensus
{
    /// <summary>The elected sign for a weighted sum: +1 for zero or more, −1 otherwise.</summary>
    /// <param name="weightedSum"><c>Σ wᵢ·δᵢ</c> at one element.</param>
    /// <returns>+1 or −1.</returns>
    public static float MajoritySign(float weightedSum) => weightedSum >= 0 ? 1f : -1f;

    /// <summary>Whether a weighted value agrees with the elected sign; zero never agrees.</summary>
    /// <param name="weightedValue"><c>wᵢ·δᵢ</c> at one element.</param>
    /// <param name="majoritySign">The elected sign (+1 or −1).</param>
    /// <returns><see langword="true"/> when the value takes part.</returns>
    public static bool Agrees(float weightedValue, float majoritySign) =>
        weightedValue > 0 ? majoritySign > 0 : weightedValue < 0 && majoritySign < 0;

    /// <summary>Elects the sign of every element.</summary>
    /// <param name="deltas">The task vectors, all of <paramref name="signs"/>' length.</param>
    /// <param name="weights">One weight per task vector.</param>
    /// <param name="signs">Receives +1 or −1 per element.</param>
    /// <exception cref="ArgumentException">When the counts or lengths disagree.</exception>
    public static void ComputeMajoritySigns(IReadOnlyList<ReadOnlyMemory<float>> deltas, ReadOnlySpan<float> weights, Span<float> signs)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        if (deltas.Count != weights.Length)
        {
            throw new ArgumentException($"{deltas.Count} task vectors but {weights.Length} weights.", nameof(weights));
        }

        signs.Clear();
        for (var i = 0; i < deltas.Count; i++)
        {
            var delta = deltas[i].Span;
            if (delta.Length != signs.Length)
            {
                throw new ArgumentException($"Task vector {i} holds {delta.Length} values; expected {signs.Length}.", nameof(deltas));
            }

            TensorPrimitives.MultiplyAdd(delta, weights[i], signs, signs);
        }

        var j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var s = ref MemoryMarshal.GetReference(signs);
            var plus = Vector256<float>.One;
            var minus = Vector256.Create(-1f);
            for (; j <= signs.Length - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var sum = Vector256.LoadUnsafe(ref s, (nuint)j);
                // NaN compares false and elects −1, as MajoritySign does.
                Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(sum, Vector256<float>.Zero), plus, minus).StoreUnsafe(ref s, (nuint)j);
            }
        }

        for (; j < signs.Length; j++)
        {
            signs[j] = MajoritySign(signs[j]);
        }
    }
}
