using Medley.Runtime.Tests;
using Medley.Sdk.Models;

namespace Medley.Cooperation.Tests.Support;

/// <summary>
/// A member for tests that feed synthetic logits: it has the facts a combiner reads (vocabulary, tokenizer) and
/// refuses to run, because a step combiner must only combine the logits the host gives it.
/// </summary>
public sealed class LogitsOnlyModel(string name, int vocabularySize, ITextTokenizer? tokenizer = null) : ICausalLanguageModel
{
    public ModelInfo Info { get; } = new()
    {
        Name = name,
        Location = "synthetic",
        VocabularySize = vocabularySize,
        LayerCount = 1,
        KeyValueHeads = 1,
        HeadSize = 1,
    };

    public ITextTokenizer Tokenizer { get; } = tokenizer ?? new TestTokenizer(vocabularySize);

    public IDecodingSession CreateSession() =>
        throw new InvalidOperationException($"'{Info.Name}' has synthetic logits only; a step combiner must not run the members itself.");

    public void Dispose()
    {
    }
}
