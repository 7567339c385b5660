namespace Medley.Cooperation.Speculative;

/// <summary>
/// The arithmetic of the rejection rule (Leviathan et al. 2023, Chen et al. 2023): a drafted token x drawn from q is
/// kept with probability min(1, p(x)/q(x)); after a rejection the replacement is drawn from norm(max(0, p − q)).
/// Together the two give exactly p.
/// </summary>
internal static class SpeculativeVerification
{
    /// <summary>The probability of keeping drafted token <paramref name="token"/>.</summary>
    public static double AcceptProbability(ReadOnlySpan<float> target, ReadOnlySpan<float> draft, int token)
    {
        double p = target[token];
        double q = draft[token];

        // A token is only ever drafted where q > 0; the guard keeps a caller's zero from dividing.
        return q > 0 ? Math.Min(1.0, p / q) : (p > 0 ? 1.0 : 0.0);
    }

    /// <summary>Writes max(0, p − q) into <paramref name="residual"/> and returns its total mass.</summary>
    public static double Residual(ReadOnlySpan<float> target, ReadOnlySpan<float> draft, Span<float> residual)
    {
        var total = 0.0;
        for (var i = 0; i < residual.Length; i++)
        {
            var excess = Math.Max(0f, target[i] - draft[i]);
            residual[i] = excess;
            total += excess;
        }

        return total;
    }

    /// <summary>The top probability of the softmax of raw logits (the draft's own confidence, before any sampling transform).</summary>
    public static double TopProbability(ReadOnlySpan<float> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var value in logits)
        {
            if (value > max)
            {
                max = value;
            }
        }

        if (double.IsNegativeInfinity(max) || double.IsPositiveInfinity(max))
        {
            return 1.0;
        }

        var sum = 0.0;
        foreach (var value in logits)
        {
            if (!float.IsNaN(value))
            {
                sum += Math.Exp(value - max);
            }
        }

        return 1.0 / sum;
    }
}
