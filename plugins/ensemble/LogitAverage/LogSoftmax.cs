using System.Numerics.Tensors;

namespace Medley.Ensemble.LogitAverage;

/// <summary>Log-sum-exp of logits, vectorised (it runs over the whole vocabulary at every step).</summary>
internal static class LogSoftmax
{
    /// <summary><c>log Σ exp(xᵥ)</c>, shifted by the maximum so that it neither overflows nor underflows.</summary>
    /// <param name="row">The logits.</param>
    /// <param name="scratch">A buffer at least as long as <paramref name="row"/>.</param>
    public static double LogSumExp(ReadOnlySpan<float> row, Span<float> scratch)
    {
        var max = TensorPrimitives.Max(row);
        if (float.IsNegativeInfinity(max))
        {
            return double.NegativeInfinity;
        }

        var shifted = scratch[..row.Length];
        TensorPrimitives.Subtract(row, max, shifted);
        TensorPrimitives.Exp(shifted, shifted);
        return max + Math.Log(TensorPrimitives.Sum<float>(shifted));
    }
}
