namespace Medley.Cooperation.Contrastive;

/// <summary>Log-sum-exp in double precision, for turning logits into log-probabilities.</summary>
internal static class LogProbabilities
{
    /// <summary><c>log Σ exp(xᵢ / temperature)</c>; −∞ when every value is −∞.</summary>
    public static double LogSumExp(ReadOnlySpan<float> logits, double temperature)
    {
        var max = double.NegativeInfinity;
        foreach (var value in logits)
        {
            max = Math.Max(max, value / temperature);
        }

        if (double.IsInfinity(max))
        {
            return max;
        }

        var sum = 0.0;
        foreach (var value in logits)
        {
            sum += Math.Exp((value / temperature) - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>The first index of the largest value, skipping NaN; −1 when there is none.</summary>
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
