namespace Medley.Ensemble.LogitAverage;

/// <summary>Log-probabilities from logits, in double precision.</summary>
internal static class LogSoftmax
{
    /// <summary><c>log Σ exp(xᵥ)</c>, shifted by the maximum so that it neither overflows nor underflows.</summary>
    public static double LogSumExp(ReadOnlySpan<float> row)
    {
        var max = double.NegativeInfinity;
        foreach (var value in row)
        {
            max = Math.Max(max, value);
        }

        if (double.IsNegativeInfinity(max))
        {
            return max;
        }

        var sum = 0.0;
        foreach (var value in row)
        {
            sum += Math.Exp(value - max);
        }

        return max + Math.Log(sum);
    }
}
