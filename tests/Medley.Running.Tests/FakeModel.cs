using Medley.Runtime.Tests;
using Medley.Sdk.Models;

namespace Medley.Running.Tests;

/// <summary>A model whose logits after each token are given by a table: row <c>n</c> follows the <c>n</c>-th token.</summary>
internal sealed class FakeModel(string name, float[][] rows) : ICausalLanguageModel
{
    public ModelInfo Info { get; } = new()
    {
        Name = name,
        Location = "/fake/" + name,
        VocabularySize = rows[0].Length,
        LayerCount = 1,
        KeyValueHeads = 1,
        HeadSize = 1,
    };

    public ITextTokenizer Tokenizer { get; } = new TestTokenizer(rows[0].Length);

    public IDecodingSession CreateSession() => new Session(this, rows);

    public void Dispose()
    {
        // Nothing to free.
    }

    private sealed class Session(FakeModel model, float[][] rows) : IDecodingSession
    {
        private readonly List<int> _tokens = [];

        public ICausalLanguageModel Model => model;

        public int Length => _tokens.Count;

        public IReadOnlyList<int> Tokens => _tokens;

        public ValueTask<Logits> AppendAsync(ReadOnlyMemory<int> tokens, LogitsScope scope = LogitsScope.Last, CancellationToken cancellationToken = default)
        {
            var first = _tokens.Count;
            _tokens.AddRange(tokens.ToArray());
            var positions = Enumerable.Range(first, tokens.Length).ToList();
            if (scope == LogitsScope.Last)
            {
                positions = [positions[^1]];
            }

            var values = positions.SelectMany(p => rows[p]).ToArray();
            return ValueTask.FromResult(new Logits(values, positions.Count, rows[0].Length));
        }

        public void Rewind(int length) => _tokens.RemoveRange(length, _tokens.Count - length);

        public IDecodingSession Fork() => throw new NotSupportedException("The fake model's sessions are never forked.");

        public void Dispose()
        {
            // Nothing to free.
        }
    }
}
