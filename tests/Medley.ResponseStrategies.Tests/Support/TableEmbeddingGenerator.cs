using Microsoft.Extensions.AI;

namespace Medley.ResponseStrategies.Tests.Support;

/// <summary>An embedding generator that looks vectors up in a table, so cosine utilities are hand-checkable.</summary>
public sealed class TableEmbeddingGenerator(IReadOnlyDictionary<string, float[]> table) : IEmbeddingGenerator<string, Embedding<float>>
{
    public int Calls { get; private set; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(values.Select(v => new Embedding<float>(table[v]))));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
