using Microsoft.Extensions.AI;

namespace Medley.RoutingStrategies.Tests.Support;

/// <summary>A hand-checkable embedding: (number of 'a', number of 'b') in the text.</summary>
public sealed class LetterCountEmbeddings : IEmbeddingGenerator<string, Embedding<float>>
{
    public int Calls { get; private set; }

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(
            values.Select(v => new Embedding<float>(new float[] { v.Count(c => c == 'a'), v.Count(c => c == 'b') }))));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
