using Medley.Runtime.Tests;
using Medley.Sdk.Models;
using Microsoft.Extensions.AI;

namespace Medley.Cooperation.Tests.Support;

/// <summary>The test tokenizer under another fingerprint: a chat variant with the same number of tokens.</summary>
public sealed class ChatVariantTokenizer(int vocabularySize) : ITextTokenizer
{
    private readonly TestTokenizer _inner = new(vocabularySize);

    public string VocabularyFingerprint => "chat-variant-" + _inner.VocabularyFingerprint;

    public string Description => "chat variant of " + _inner.Description;

    public int VocabularySize => _inner.VocabularySize;

    public int? BosTokenId => _inner.BosTokenId;

    public IReadOnlyList<int> EosTokenIds => _inner.EosTokenIds;

    public bool HasChatTemplate => true;

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false) => _inner.Encode(text, addSpecialTokens);

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true) => _inner.Decode(ids, skipSpecialTokens);

    public string? GetTokenString(int id) => _inner.GetTokenString(id);

    public bool IsSpecialToken(int id) => _inner.IsSpecialToken(id);

    public string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true) => _inner.ApplyChatTemplate(messages, addGenerationPrompt);
}
