using Microsoft.Extensions.AI;

namespace Medley.Ensemble.Mbr;

/// <summary>
/// Cosine similarity of two candidates' embeddings, as an MBR utility. The pool's distinct texts are embedded once, in
/// one call, before the pairwise scores are read; a zero vector (a blank answer) is similar to nothing.
/// </summary>
internal static class CosineUtility
{
    public static async Task<Func<string, string, double>> CreateAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var distinct = texts.Distinct(StringComparer.Ordinal).ToList();
        var embeddings = await generator.GenerateAsync(distinct, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (embeddings.Count != distinct.Count)
        {
            throw new Medley.Sdk.MedleyException(
                "mbr.embedding",
                $"The embedding generator returned {embeddings.Count} vector(s) for {distinct.Count} candidate text(s).",
                Medley.Sdk.MedleyErrorKind.Failure);
        }

        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < distinct.Count; i++)
        {
            vectors[distinct[i]] = embeddings[i].Vector.ToArray();
        }

        return (a, b) => Cosine(vectors[a], vectors[b]);
    }

    public static double Cosine(float[] a, float[] b)
    {
        if (a.Length != b.Length)
        {
            throw new Medley.Sdk.MedleyException(
                "mbr.embedding",
                $"The embedding generator returned vectors of different lengths ({a.Length} and {b.Length}).",
                Medley.Sdk.MedleyErrorKind.Failure);
        }

        double dot = 0, normA = 0, normB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            normA += (double)a[i] * a[i];
            normB += (double)b[i] * b[i];
        }

        return normA == 0 || normB == 0 ? 0 : dot / Math.Sqrt(normA * normB);
    }
}
