namespace Medley.Cooperation.Tests.Support;

/// <summary>
/// The papers' formulas written the plain way, in double precision and through probabilities rather than the
/// plugins' log-space shortcuts, so that an error in a shortcut shows as a disagreement.
/// </summary>
public static class Reference
{
    public static double[] Softmax(IReadOnlyList<float> logits, double temperature = 1)
    {
        var max = logits.Max(v => v / temperature);
        var exps = logits.Select(v => Math.Exp((v / temperature) - max)).ToArray();
        var sum = exps.Sum();
        return exps.Select(e => e / sum).ToArray();
    }

    public static double[] LogSoftmax(IReadOnlyList<float> logits) => Softmax(logits).Select(p => Math.Log(p)).ToArray();

    /// <summary>Li et al.'s V_head: p_e(x) ≥ α·max p_e.</summary>
    public static bool[] Plausible(IReadOnlyList<float> expert, double alpha)
    {
        var p = Softmax(expert);
        var top = p.Max();
        return p.Select(v => v >= alpha * top).ToArray();
    }

    public static double[] ContrastiveLi(IReadOnlyList<float> expert, IReadOnlyList<float> amateur, double alpha, double amateurTemperature)
    {
        var pe = Softmax(expert);
        var pa = Softmax(amateur, amateurTemperature);
        var head = Plausible(expert, alpha);
        return pe.Select((p, i) => head[i] ? Math.Log(p) - Math.Log(pa[i]) : double.NegativeInfinity).ToArray();
    }

    public static double[] ContrastiveOBrien(IReadOnlyList<float> expert, IReadOnlyList<float> amateur, double alpha, double beta)
    {
        var head = Plausible(expert, alpha);
        return expert.Select((e, i) => head[i] ? ((1 + beta) * e) - (beta * amateur[i]) : double.NegativeInfinity).ToArray();
    }

    public static double[] Proxy(IReadOnlyList<float> baseLogits, IReadOnlyList<float> expert, IReadOnlyList<float> antiExpert, double alpha) =>
        baseLogits.Select((b, i) => b + (alpha * ((double)expert[i] - antiExpert[i]))).ToArray();

    /// <summary>EFT as a distribution: π ∝ p_base · (p_expert / p_anti)^β, then its logarithm.</summary>
    public static double[] Eft(IReadOnlyList<float> baseLogits, IReadOnlyList<float> expert, IReadOnlyList<float> antiExpert, double beta)
    {
        var pb = Softmax(baseLogits);
        var pe = Softmax(expert);
        var pa = Softmax(antiExpert);
        var unnormalised = pb.Select((p, i) => p * Math.Pow(pe[i] / pa[i], beta)).ToArray();
        var sum = unnormalised.Sum();
        return unnormalised.Select(u => Math.Log(u / sum)).ToArray();
    }

    /// <summary>Asserts agreement, −∞ where the reference says −∞, and a tolerance relative to the value's size.</summary>
    public static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<float> actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            if (double.IsNegativeInfinity(expected[i]))
            {
                Assert.True(float.IsNegativeInfinity(actual[i]), $"token {i}: expected -inf, got {actual[i]}");
                continue;
            }

            var allowed = tolerance * Math.Max(1, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= allowed, $"token {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
