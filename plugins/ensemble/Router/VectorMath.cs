namespace Medley.Ensemble.Router;

/// <summary>Cosine similarity and centroids in double precision.</summary>
internal static class VectorMath
{
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            throw new Sdk.MedleyException("router.embedding", $"The embedding generator returned vectors of lengths {a.Length} and {b.Length}: expected one length for every text.");
        }

        double dot = 0, aa = 0, bb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
        }

        return aa == 0 || bb == 0 ? 0 : dot / Math.Sqrt(aa * bb);
    }

    // Each example is normalised first so that one long example cannot outweigh the others in the centroid.
    public static float[] Centroid(IReadOnlyList<ReadOnlyMemory<float>> vectors)
    {
        var sum = new double[vectors[0].Length];
        foreach (var vector in vectors)
        {
            var span = vector.Span;
            var norm = 0.0;
            foreach (var value in span)
            {
                norm += (double)value * value;
            }

            norm = Math.Sqrt(norm);
            for (var i = 0; i < sum.Length && i < span.Length; i++)
            {
                sum[i] += norm == 0 ? 0 : span[i] / norm;
            }
        }

        return sum.Select(v => (float)(v / vectors.Count)).ToArray();
    }
}
