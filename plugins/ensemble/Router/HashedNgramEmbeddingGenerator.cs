using Microsoft.Extensions.AI;

namespace Medley.Ensemble.Router;

/// <summary>
/// The router's built-in embedding, used when the run config names no embedding generator: the text is lower-cased
/// (invariant culture) and padded with one space on each side, every character trigram is hashed (32-bit FNV-1a over
/// its UTF-16 code units) into one of <see cref="Dimensions"/> buckets, the bucket counts form a term-frequency
/// vector and the vector is L2-normalised. It is deterministic and needs no model: texts that share wording are
/// close, paraphrases with other words are not.
/// </summary>
public sealed class HashedNgramEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The length of every vector.</summary>
    public const int Dimensions = 1024;

    private const int NgramLength = 3;

    /// <summary>Embeds one text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>A unit vector, or all zeros for an empty text.</returns>
    public static float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var padded = " " + text.ToLowerInvariant() + " ";
        var counts = new double[Dimensions];
        for (var start = 0; start + NgramLength <= padded.Length; start++)
        {
            counts[Bucket(padded.AsSpan(start, NgramLength))]++;
        }

        var norm = Math.Sqrt(counts.Sum(c => c * c));
        return counts.Select(c => norm == 0 ? 0f : (float)(c / norm)).ToArray();
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(Embed(v))));
        return Task.FromResult(embeddings);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Holds nothing to release.</summary>
    public void Dispose()
    {
    }

    private static int Bucket(ReadOnlySpan<char> ngram)
    {
        var hash = 2166136261u;
        foreach (var c in ngram)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return (int)(hash % Dimensions);
    }
}
