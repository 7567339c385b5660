using Medley.Sdk.Models;
using Microsoft.Extensions.AI;

namespace Company.Plugin.Tests;

/// <summary>Ids 0-9 are the digits, id 10 is the end-of-sequence token.</summary>
internal sealed class DigitTokenizer : ITextTokenizer
{
    public const int Eos = 10;

    public string VocabularyFingerprint => "digits+eos";

    public string Description => "digit tokenizer";

    public int VocabularySize => 11;

    public int? BosTokenId => null;

    public IReadOnlyList<int> EosTokenIds { get; } = [Eos];

    public bool HasChatTemplate => false;

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false) => text.Select(c => c - '0').ToList();

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true) =>
        string.Concat(ids.Where(id => id != Eos || !skipSpecialTokens).Select(id => id == Eos ? "</s>" : ((char)('0' + id)).ToString()));

    public string? GetTokenString(int id) => Decode([id], skipSpecialTokens: false);

    public bool IsSpecialToken(int id) => id == Eos;

    public string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true) =>
        throw new InvalidOperationException("The digit tokenizer has no chat template.");
}
