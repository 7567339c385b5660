using Microsoft.Extensions.AI;

namespace Medley.Sdk.Models;

/// <summary>A model's tokenizer, with the special tokens and chat template its checkpoint declares.</summary>
public interface ITextTokenizer
{
    /// <summary>
    /// Identifies the vocabulary: equal for tokenizers that map every string to the same ids. Strategies
    /// that need a shared vocabulary compare it.
    /// </summary>
    string VocabularyFingerprint { get; }

    /// <summary>A short description for messages, e.g. <c>byte-level BPE (50257 tokens) from ./models/gpt2</c>.</summary>
    string Description { get; }

    /// <summary>Number of token ids.</summary>
    int VocabularySize { get; }

    /// <summary>The beginning-of-sequence id, if the model uses one.</summary>
    int? BosTokenId { get; }

    /// <summary>Ids that end generation.</summary>
    IReadOnlyList<int> EosTokenIds { get; }

    /// <summary>Whether a chat template is known for this model.</summary>
    bool HasChatTemplate { get; }

    /// <summary>Turns text into ids.</summary>
    /// <param name="text">The text.</param>
    /// <param name="addSpecialTokens">Whether to add the BOS token the model expects.</param>
    /// <returns>The ids.</returns>
    IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false);

    /// <summary>Turns ids into text.</summary>
    /// <param name="ids">The ids.</param>
    /// <param name="skipSpecialTokens">Whether to leave special tokens out.</param>
    /// <returns>The text.</returns>
    string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true);

    /// <summary>The vocabulary's own string for an id (with its byte-level or ▁ markers), or <see langword="null"/> when out of range.</summary>
    /// <param name="id">A token id.</param>
    /// <returns>The raw token string.</returns>
    string? GetTokenString(int id);

    /// <summary>Whether an id is a special token (BOS, EOS, padding, chat markers).</summary>
    /// <param name="id">A token id.</param>
    /// <returns><see langword="true"/> for special tokens.</returns>
    bool IsSpecialToken(int id);

    /// <summary>Renders a conversation with the model's chat template.</summary>
    /// <param name="messages">The conversation.</param>
    /// <param name="addGenerationPrompt">Whether to end with the assistant's turn opener.</param>
    /// <returns>The prompt text.</returns>
    string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true);
}
