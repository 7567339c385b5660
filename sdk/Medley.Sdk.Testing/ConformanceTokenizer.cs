using Medley.Sdk.Models;
using Microsoft.Extensions.AI;

namespace Medley.Sdk.Testing;

/// <summary>
/// A character-level tokenizer over printable ASCII for the kit's in-memory models: id 0 is end-of-sequence
/// (<c>&lt;/s&gt;</c>), id 1 is beginning-of-sequence (<c>&lt;s&gt;</c>), ids 2… are the characters ' ' to '~'.
/// It has no chat template.
/// </summary>
public sealed class ConformanceTokenizer : ITextTokenizer
{
    private const int FirstCharacterId = 2;
    private const char FirstCharacter = ' ';
    private const char LastCharacter = '~';

    /// <summary>The one instance; every kit model shares it, so members share a vocabulary.</summary>
    public static ConformanceTokenizer Instance { get; } = new();

    /// <summary>The end-of-sequence id.</summary>
    public const int EndOfSequenceId = 0;

    /// <summary>The beginning-of-sequence id.</summary>
    public const int BeginningOfSequenceId = 1;

    /// <inheritdoc/>
    public string VocabularyFingerprint => "medley-conformance-ascii-v1";

    /// <inheritdoc/>
    public string Description => "Medley.Sdk.Testing character tokenizer (printable ASCII)";

    /// <inheritdoc/>
    public int VocabularySize => FirstCharacterId + (LastCharacter - FirstCharacter + 1);

    /// <inheritdoc/>
    public int? BosTokenId => BeginningOfSequenceId;

    /// <inheritdoc/>
    public IReadOnlyList<int> EosTokenIds { get; } = [EndOfSequenceId];

    /// <inheritdoc/>
    public bool HasChatTemplate => false;

    /// <inheritdoc/>
    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length + 1);
        if (addSpecialTokens)
        {
            ids.Add(BeginningOfSequenceId);
        }

        foreach (var character in text)
        {
            if (character is < FirstCharacter or > LastCharacter)
            {
                throw new MedleyException(
                    "conformance.tokenizer.character",
                    $"The conformance tokenizer covers printable ASCII only; the text holds U+{(int)character:X4}.");
            }

            ids.Add(FirstCharacterId + (character - FirstCharacter));
        }

        return ids;
    }

    /// <inheritdoc/>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new System.Text.StringBuilder();
        foreach (var id in ids)
        {
            if (!IsSpecialToken(id))
            {
                text.Append(GetTokenString(id));
            }
            else if (!skipSpecialTokens)
            {
                text.Append(GetTokenString(id));
            }
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public string? GetTokenString(int id) => id switch
    {
        EndOfSequenceId => "</s>",
        BeginningOfSequenceId => "<s>",
        _ when id >= FirstCharacterId && id < VocabularySize => ((char)(FirstCharacter + (id - FirstCharacterId))).ToString(),
        _ => null,
    };

    /// <inheritdoc/>
    public bool IsSpecialToken(int id) => id is EndOfSequenceId or BeginningOfSequenceId;

    /// <inheritdoc/>
    public string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true) =>
        throw new MedleyException("conformance.tokenizer.chat_template", "The conformance tokenizer has no chat template; give the strategy a plain prompt.");
}
