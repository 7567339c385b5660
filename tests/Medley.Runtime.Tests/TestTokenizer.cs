using Medley.Sdk.Models;
using Microsoft.Extensions.AI;

namespace Medley.Runtime.Tests;

/// <summary>A tokenizer for tests: one id per character code, modulo the vocabulary.</summary>
public sealed class TestTokenizer(int vocabularySize) : ITextTokenizer
{
    public string VocabularyFingerprint => $"test-{vocabularySize}";

    public string Description => $"test tokenizer ({vocabularySize} tokens)";

    public int VocabularySize => vocabularySize;

    public int? BosTokenId => null;

    public IReadOnlyList<int> EosTokenIds => [0];

    public bool HasChatTemplate => false;

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false) => text.Select(c => c % vocabularySize).ToList();

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true) => new(ids.Select(i => (char)('a' + i % 26)).ToArray());

    public string? GetTokenString(int id) => id >= 0 && id < vocabularySize ? ((char)('a' + id % 26)).ToString() : null;

    public bool IsSpecialToken(int id) => id == 0;

    public string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true) => string.Join("\n", messages.Select(m => m.Text));
}
