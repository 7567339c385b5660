using Medley.Sdk.Models;

namespace Company.Plugin.Tests;

/// <summary>
/// A model that counts up: after digit d it scores d + 1 highest (and end-of-sequence after 9), with every other token
/// a little lower, so greedy decoding of "3" must give "456789".
/// </summary>
internal sealed class CountingModel : ICausalLanguageModel
{
    public ModelInfo Info { get; } = new()
    {
        Name = "counting",
        Location = "memory",
        VocabularySize = 11,
        LayerCount = 1,
        KeyValueHeads = 1,
        HeadSize = 1,
    };

    public ITextTokenizer Tokenizer { get; } = new DigitTokenizer();

    public IDecodingSession CreateSession() => new CountingSession(this, []);

    public void Dispose()
    {
    }

    public static float[] NextLogits(int last)
    {
        var logits = Enumerable.Repeat(-1f, 11).ToArray();
        logits[last >= 9 ? DigitTokenizer.Eos : last + 1] = 2f;
        return logits;
    }

    private sealed class CountingSession(CountingModel model, List<int> tokens) : IDecodingSession
    {
        public ICausalLanguageModel Model => model;

        public int Length => tokens.Count;

        public IReadOnlyList<int> Tokens => tokens;

        public ValueTask<Logits> AppendAsync(ReadOnlyMemory<int> newTokens, LogitsScope scope = LogitsScope.Last, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = tokens.Count;
            tokens.AddRange(newTokens.ToArray());
            var positions = scope == LogitsScope.All ? tokens.Count - start : 1;
            var values = Enumerable.Range(tokens.Count - positions, positions).SelectMany(p => NextLogits(tokens[p])).ToArray();
            return ValueTask.FromResult(new Logits(values, positions, 11));
        }

        public void Rewind(int length) => tokens.RemoveRange(length, tokens.Count - length);

        public IDecodingSession Fork() => new CountingSession(model, [.. tokens]);

        public void Dispose()
        {
        }
    }
}
