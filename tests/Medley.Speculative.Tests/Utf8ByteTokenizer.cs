using System.Text;
using Medley.Sdk.Models;
using Microsoft.Extensions.AI;

namespace Medley.Speculative.Tests;

/// <summary>A byte-level tokenizer: one token per UTF-8 byte, so a character can span several tokens.</summary>
public sealed class Utf8ByteTokenizer : ITextTokenizer
{
    public string VocabularyFingerprint => "utf8-bytes";

    public string Description => "UTF-8 bytes (256 tokens)";

    public int VocabularySize => 256;

    public int? BosTokenId => null;

    public IReadOnlyList<int> EosTokenIds => [];

    public bool HasChatTemplate => false;

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false) => Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToList();

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true) => Encoding.UTF8.GetString(ids.Select(i => (byte)i).ToArray());

    public string? GetTokenString(int id) => id is >= 0 and < 256 ? Decode([id]) : null;

    public bool IsSpecialToken(int id) => false;

    public string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true) => string.Join("\n", messages.Select(m => m.Text));
}
