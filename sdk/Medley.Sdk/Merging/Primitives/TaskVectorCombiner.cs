using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Medley.Sdk.Merging.Primitives;

/// <summary>
/// The combining step of generalized task arithmetic (mergekit's GTA): mixes weighted task vectors and applies the
/// mix to the base.
/// </summary>
/// <remarks>
/// With <see cref="ConsensusMethod.Sum"/>: <c>mixed = Σ mᵢ·wᵢ·δᵢ</c> and <c>divisor = Σ mᵢ·wᵢ</c> (0 becomes 1), where
/// <c>mᵢ</c> is the <see cref="SignConsensus"/> mask. Without consensus: <c>mixed = Σ wᵢ·δᵢ</c> and
/// <c>divisor = Σ wᵢ</c> (|divisor| &lt; 1e-8 becomes 1). Then, if normalizing, <c>mixed /= divisor</c>;
/// <c>mixed *= λ</c>; <c>out = base + mixed</c>. Arithmetic is float32, as in mergekit's float32 compute.
/// </remarks>
public static class TaskVectorCombiner
{
    /// <summary>Below this magnitude a consensus-free sum of weights is treated as zero and replaced by 1, as in mergekit.</summary>
    public const float WeightSumEpsilon = 1e-8f;

    /// <summary>Combines task vectors into <paramref name="output"/>, writing every element.</summary>
    /// <param name="baseModel">The base tensor.</param>
    /// <param name="deltas">The (possibly sparsified) task vectors, each as long as <paramref name="baseModel"/>.</param>
    /// <param name="weights">One weight per task vector.</param>
    /// <param name="consensus">Whether signs are elected first.</param>
    /// <param name="normalize">Whether the mix is divided by the (agreeing) weights' sum.</param>
    /// <param name="lambda">Scale of the mix before it is added to the base.</param>
    /// <param name="output">Receives the merged tensor; must not overlap the inputs.</param>
    /// <exception cref="ArgumentException">When the counts or lengths disagree.</exception>
    public static void Combine(
        ReadOnlySpan<float> baseModel,
        IReadOnlyList<ReadOnlyMemory<float>> deltas,
        ReadOnlySpan<float> weights,
        ConsensusMethod consensus,
        bool normalize,
        float lambda,
        Span<float> output)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        if (deltas.Count != weights.Length)
        {
            throw new ArgumentException($"{deltas.Count} task vectors but {weights.Length} weights.", nameof(weights));
        }

        if (baseModel.Length != output.Length)
        {
            throw new ArgumentException($"The base holds {baseModel.Length} values but the output {output.Length}.", nameof(output));
        }

        for (var i = 0; i < deltas.Count; i++)
        {
            if (deltas[i].Length != output.Length)
            {
                throw new ArgumentException($"Task vector {i} holds {deltas[i].Length} values; expected {output.Length}.", nameof(deltas));
            }
        }

        switch (consensus)
        {
            case ConsensusMethod.None:
                MixWithoutConsensus(deltas, weights, normalize, output);
                break;
            case ConsensusMethod.Sum:
                MixWithSignConsensus(deltas, weights, normalize, output);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(consensus), consensus, "Unknown consensus method.");
        }

        if (lambda != 1f)
        {
            TensorPrimitives.Multiply(output, lambda, output);
        }

        TensorPrimitives.Add(baseModel, output, output);
    }

    private static void MixWithoutConsensus(IReadOnlyList<ReadOnlyMemory<float>> deltas, ReadOnlySpan<float> weights, bool normalize, Span<float> mixed)
    {
        mixed.Clear();
        var weightSum = 0f;
        for (var i = 0; i < deltas.Count; i++)
        {
            TensorPrimitives.MultiplyAdd(deltas[i].Span, weights[i], mixed, mixed);
            weightSum += weights[i];
        }

        if (normalize)
        {
            TensorPrimitives.Divide(mixed, Math.Abs(weightSum) < WeightSumEpsilon ? 1f : weightSum, mixed);
        }
    }

    private static void MixWithSignConsensus(IReadOnlyList<ReadOnlyMemory<float>> deltas, ReadOnlySpan<float> weights, bool normalize, Span<float> mixed)
    {
        var length = mixed.Length;
        var signsBuffer = ArrayPool<float>.Shared.Rent(length);
        var divisorBuffer = ArrayPool<float>.Shared.Rent(length);
        try
        {
            var signs = signsBuffer.AsSpan(0, length);
            var divisor = divisorBuffer.AsSpan(0, length);
            SignConsensus.ComputeMajoritySigns(deltas, weights, signs);
            mixed.Clear();
            divisor.Clear();
            for (var i = 0; i < deltas.Count; i++)
            {
                AddAgreeing(deltas[i].Span, weights[i], signs, mixed, divisor);
            }

            if (normalize)
            {
                DivideByNonZero(mixed, divisor);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(signsBuffer);
            ArrayPool<float>.Shared.Return(divisorBuffer);
        }
    }

    // mixed += w·δ and divisor += w where w·δ agrees with the elected sign. Disagreeing lanes add +0, which leaves
    // both sums bit-identical: they start at +0 and only ever gain non-zero same-signed terms, so never hold −0.
    private static void AddAgreeing(ReadOnlySpan<float> delta, float weight, ReadOnlySpan<float> signs, Span<float> mixed, Span<float> divisor)
    {
        var length = mixed.Length;
        var j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var d = ref MemoryMarshal.GetReference(delta);
            ref var s = ref MemoryMarshal.GetReference(signs);
            ref var m = ref MemoryMarshal.GetReference(mixed);
            ref var q = ref MemoryMarshal.GetReference(divisor);
            var w = Vector256.Create(weight);
            var zero = Vector256<float>.Zero;
            for (; j <= length - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var weighted = Vector256.LoadUnsafe(ref d, (nuint)j) * w;
                var sign = Vector256.LoadUnsafe(ref s, (nuint)j);
                var agrees = (Vector256.GreaterThan(weighted, zero) & Vector256.GreaterThan(sign, zero))
                    | (Vector256.LessThan(weighted, zero) & Vector256.LessThan(sign, zero));
                (Vector256.LoadUnsafe(ref m, (nuint)j) + (weighted & agrees)).StoreUnsafe(ref m, (nuint)j);
                (Vector256.LoadUnsafe(ref q, (nuint)j) + (w & agrees)).StoreUnsafe(ref q, (nuint)j);
            }
        }

        for (; j < length; j++)
        {
            var weighted = delta[j] * weight;
            if (SignConsensus.Agrees(weighted, signs[j]))
            {
                mixed[j] += weighted;
                divisor[j] += weight;
            }
        }
    }

    private static void DivideByNonZero(Span<float> mixed, ReadOnlySpan<float> divisor)
    {
        var length = mixed.Length;
        var j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var m = ref MemoryMarshal.GetReference(mixed);
            ref var q = ref MemoryMarshal.GetReference(divisor);
            var one = Vector256<float>.One;
            for (; j <= length - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var value = Vector256.LoadUnsafe(ref q, (nuint)j);
                var safe = Vector256.ConditionalSelect(Vector256.Equals(value, Vector256<float>.Zero), one, value);
                (Vector256.LoadUnsafe(ref m, (nuint)j) / safe).StoreUnsafe(ref m, (nuint)j);
            }
        }

        for (; j < length; j++)
        {
            mixed[j] /= divisor[j] == 0f ? 1f : divisor[j];
        }
    }
}
