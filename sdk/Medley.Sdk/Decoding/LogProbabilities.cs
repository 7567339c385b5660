using System.Numerics.Tensors;

namespace Medley.Sdk.Decoding;

/// <summary>Log-sum-exp for turning logits into log-probabilities, vectorised because it runs over the whole vocabulary every step.</summary>
public static class LogProbabilities
{
    /// <summary><c>log Σ exp(xᵢ / temperature)</c>; −∞ when every value is −∞.</summary>
    /// <param name="logits">The values.</param>
    /// <param name="temperature">Divides every value.</param>
    /// <param name="scratch">At least as long as <paramref name="logits"/>; overwritten.</param>
    /// <returns>The log-normaliser: a logit minus it (after the same temperature) is a log-probability.</returns>
    public static double LogSumExp(ReadOnlySpan<float> logits, double temperature, Span<float> scratch)
    {
        var work = scratch[..logits.Length];
        var max = TensorPrimitives.Max(logits);
        if (!float.IsFinite(max))
        {
            return max;
        }

        // exp((x − max) / τ) ≤ 1, so the sum cannot overflow; the shift is added back in double.
        TensorPrimitives.Subtract(logits, max, work);
        TensorPrimitives.Multiply(work, (float)(1 / temperature), work);
        TensorPrimitives.Exp(work, work);
        return (max / temperature) + Math.Log(TensorPrimitives.Sum<float>(work));
    }

    /// <summary>The first index of the largest value, skipping NaN; −1 when there is none.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The index.</returns>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = -1;
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsNaN(values[i]) && (best < 0 || values[i] > values[best]))
            {
                best = i;
            }
        }

        return best;
    }
}
