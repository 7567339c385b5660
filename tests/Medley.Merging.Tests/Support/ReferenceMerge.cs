using Medley.Sdk;

namespace Medley.Merging.Tests.Support;

/// <summary>
/// An independent, double-precision implementation of the documented semantics: plain loops and full sorts, no SDK
/// primitive. Task vectors are taken as float differences (the methods compute in float32), everything after that
/// in double. Random masks follow the documented protocol: task vector i draws from
/// <c>new DeterministicRandom(Derive(seed, i))</c>, one <c>NextDouble()</c> per element in index order.
/// </summary>
internal static class ReferenceMerge
{
    public static double[] Linear(float[][] models, double[] weights, bool normalize)
    {
        var n = models[0].Length;
        var result = new double[n];
        for (var j = 0; j < n; j++)
        {
            double sum = 0, weightSum = 0;
            for (var i = 0; i < models.Length; i++)
            {
                sum += weights[i] * models[i][j];
                weightSum += weights[i];
            }

            result[j] = normalize ? sum / weightSum : sum;
        }

        return result;
    }

    public static double[] Gta(
        GtaSpec spec,
        float[] baseValues,
        float[][] models,
        double[] weights,
        double[] densities,
        double[] gammas,
        double[] epsilons,
        int rowLength,
        bool normalize,
        bool rescale,
        double lambda,
        ulong seed)
    {
        var n = baseValues.Length;
        var deltas = new double[models.Length][];
        for (var i = 0; i < models.Length; i++)
        {
            var delta = new double[n];
            for (var j = 0; j < n; j++)
            {
                delta[j] = models[i][j] - baseValues[j];
            }

            var mask = densities[i] >= 1 || spec.Sparsifier == Sparsifier.None
                ? Enumerable.Repeat(true, n).ToArray()
                : Mask(spec.Sparsifier, delta, densities[i], gammas[i], epsilons[i], rowLength, DeterministicRandom.Derive(seed, i));
            var before = delta.Sum(Math.Abs);
            var masked = delta.Select((d, j) => mask[j] ? d : 0).ToArray();
            var after = masked.Sum(Math.Abs);
            if (rescale && before >= 1e-7 && after >= 1e-7)
            {
                masked = masked.Select(d => d * before / after).ToArray();
            }

            deltas[i] = masked;
        }

        var result = new double[n];
        for (var j = 0; j < n; j++)
        {
            double mixed = 0, divisor = 0;
            if (spec.Consensus)
            {
                var sum = 0.0;
                for (var i = 0; i < models.Length; i++)
                {
                    sum += weights[i] * deltas[i][j];
                }

                var sign = sum >= 0 ? 1 : -1;
                for (var i = 0; i < models.Length; i++)
                {
                    var weighted = weights[i] * deltas[i][j];
                    if (Math.Sign(weighted) == sign)
                    {
                        mixed += weighted;
                        divisor += weights[i];
                    }
                }

                divisor = divisor == 0 ? 1 : divisor;
            }
            else
            {
                for (var i = 0; i < models.Length; i++)
                {
                    mixed += weights[i] * deltas[i][j];
                    divisor += weights[i];
                }

                divisor = Math.Abs(divisor) < 1e-8 ? 1 : divisor;
            }

            if (normalize)
            {
                mixed /= divisor;
            }

            result[j] = baseValues[j] + (lambda * mixed);
        }

        return result;
    }

    /// <summary>Indices by descending magnitude, the lower index first among equals.</summary>
    public static int[] DescendingOrder(double[] values, int start, int length) =>
        Enumerable.Range(start, length).OrderByDescending(j => Math.Abs(values[j])).ThenBy(j => j).ToArray();

    private static bool[] Mask(Sparsifier sparsifier, double[] delta, double density, double gamma, double epsilon, int rowLength, ulong streamSeed)
    {
        var n = delta.Length;
        var mask = new bool[n];
        switch (sparsifier)
        {
            case Sparsifier.Magnitude:
            {
                var k = (int)Math.Floor(density * n);
                foreach (var j in DescendingOrder(delta, 0, n).Take(k))
                {
                    mask[j] = true;
                }

                break;
            }

            case Sparsifier.MagnitudeOutliers:
            {
                var target = (int)Math.Floor(density * n);
                var top = (int)Math.Floor(gamma * n);
                var bottom = n - target - top;
                if (bottom < 0)
                {
                    top += bottom;
                    bottom = 0;
                }

                var ascending = DescendingOrder(delta, 0, n).Reverse().ToArray();
                for (var position = bottom; position < n - top; position++)
                {
                    mask[ascending[position]] = true;
                }

                break;
            }

            case Sparsifier.Random:
            {
                var random = new DeterministicRandom(streamSeed);
                for (var j = 0; j < n; j++)
                {
                    mask[j] = random.NextDouble() < density;
                }

                break;
            }

            case Sparsifier.Della:
            {
                if (density <= 0)
                {
                    break;
                }

                var random = new DeterministicRandom(streamSeed);
                var rank = new int[n];
                for (var start = 0; start < n; start += rowLength)
                {
                    var ascending = DescendingOrder(delta, start, rowLength).Reverse().ToArray();
                    for (var position = 0; position < rowLength; position++)
                    {
                        rank[ascending[position]] = position;
                    }
                }

                for (var j = 0; j < n; j++)
                {
                    var share = rowLength == 1 ? 0.5 : (double)rank[j] / (rowLength - 1);
                    var probability = (density - epsilon) + (2 * epsilon * share);
                    mask[j] = random.NextDouble() < probability;
                }

                break;
            }

            default:
                Array.Fill(mask, true);
                break;
        }

        return mask;
    }
}
