using Microsoft.Extensions.AI;

namespace Medley.Ensemble.Router;

/// <summary>
/// The router's built-in embedding, used when the run config names no embedding generator: the text is lower-cased
/// (invariant culture) and padded with one space on each side, every character n-gram of length 1, 2 and 3 is hashed
/// (32-bit FNV-1a over its UTF-16 code units) into one of <see cref="Dimensions"/> buckets, the bucket counts form a
/// term-frequency vector and the vector is L2-normalised. It is deterministic and needs no model: texts that share
/// characters and wording are close, paraphrases with other words are not. Single characters are included so that
/// short formal prompts (<c>12+345=</c>) still share something with their profile when no trigram repeats.
/// </summary>
public sealed class HashedNgramEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The length of every vector.</summary>
    public const int Dimensions = 1024;

    private const int LongestNgram = 3;

    /// <summary>Embeds one text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>A unit vector, or all zeros for an empty or blank text.</returns>
    public static float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            // Padding alone would make every blank text look alike; a blank question is similar to nothing.
            return new float[Dimensions];
        }

        var padded = " " + text.ToLowerInvariant() + " ";
        var counts = new double[Dimensions];
        for (var length = 1; length <= LongestNgram; length++)
        {
            for (var start = 0; start + length <= padded.Length; start++)
            {
                counts[Bucket(padded.AsSpan(start, length))]++;
            }
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
