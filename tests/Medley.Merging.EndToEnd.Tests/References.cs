namespace Medley.Merging.EndToEnd.Tests;

/// <summary>Independent, plain double-precision versions of the merge formulas the end-to-end tests check.</summary>
public static class References
{
    public static double[] TaskArithmetic(float[] baseValues, IReadOnlyList<(float[] Values, double Weight)> models, double lambda)
    {
        var output = new double[baseValues.Length];
        for (var i = 0; i < output.Length; i++)
        {
            var sum = 0.0;
            foreach (var (values, weight) in models)
            {
                sum += weight * (values[i] - baseValues[i]);
            }

            output[i] = baseValues[i] + (lambda * sum);
        }

        return output;
    }

    /// <summary>TIES: keep the top floor(density·n) deltas by magnitude, elect signs by the weighted sum, average the agreeing ones.</summary>
    public static double[] Ties(float[] baseValues, IReadOnlyList<(float[] Values, double Weight, double Density)> models, double lambda = 1.0)
    {
        var n = baseValues.Length;
        var deltas = models.Select(m =>
        {
            var delta = new double[n];
            for (var i = 0; i < n; i++)
            {
                delta[i] = m.Values[i] - baseValues[i];
            }

            var keep = (int)Math.Floor(m.Density * n);
            var kept = Enumerable.Range(0, n).OrderByDescending(i => Math.Abs(delta[i])).ThenBy(i => i).Take(keep).ToHashSet();
            for (var i = 0; i < n; i++)
            {
                delta[i] = kept.Contains(i) ? delta[i] * m.Weight : 0;
            }

            return delta;
        }).ToList();
        var output = new double[n];
        for (var i = 0; i < n; i++)
        {
            var total = deltas.Sum(d => d[i]);
            var sign = total >= 0 ? 1 : -1;
            double mixed = 0, divisor = 0;
            for (var m = 0; m < models.Count; m++)
            {
                if (Math.Sign(deltas[m][i]) == sign)
                {
                    mixed += deltas[m][i];
                    divisor += models[m].Weight;
                }
            }

            output[i] = baseValues[i] + (lambda * mixed / (divisor == 0 ? 1 : divisor));
        }

        return output;
    }

    public static double[] Slerp(float[] v0, float[] v1, double t)
    {
        double dot = 0, n0 = 0, n1 = 0;
        for (var i = 0; i < v0.Length; i++)
        {
            dot += (double)v0[i] * v1[i];
            n0 += (double)v0[i] * v0[i];
            n1 += (double)v1[i] * v1[i];
        }

        var cos = dot / (Math.Sqrt(n0) * Math.Sqrt(n1));
        var output = new double[v0.Length];
        if (Math.Abs(cos) > 0.9995)
        {
            for (var i = 0; i < output.Length; i++)
            {
                output[i] = ((1 - t) * v0[i]) + (t * v1[i]);
            }

            return output;
        }

        var theta = Math.Acos(cos);
        var s0 = Math.Sin((1 - t) * theta) / Math.Sin(theta);
        var s1 = Math.Sin(t * theta) / Math.Sin(theta);
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = (s0 * v0[i]) + (s1 * v1[i]);
        }

        return output;
    }

    /// <summary>float32 → bfloat16 with round-to-nearest-even, as torch does (NaN → quiet NaN).</summary>
    public static ushort ToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return 0x7FC0;
        }

        var lsb = (bits >> 16) & 1;
        return (ushort)((bits + 0x7FFF + lsb) >> 16);
    }

    public static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            if (Math.Abs(expected[i] - actual[i]) > tolerance * Math.Max(1, Math.Abs(expected[i])))
            {
                Assert.Fail($"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
            }
        }
    }
}
