using System.Security.Cryptography;
using System.Text;
using Medley.Sdk;
using Medley.Sdk.Models;
using Microsoft.Extensions.AI;

namespace Medley.Host.Tokenization;

/// <summary>
/// A Hugging Face checkpoint's tokenizer: the vocabulary's codec for ordinary text, added tokens that always
/// encode as one id, and the BOS/EOS ids and chat layout read from the checkpoint's config files.
/// Built by <see cref="HfTokenizerLoader"/>.
/// </summary>
public sealed class HfTextTokenizer : ITextTokenizer
{
    private readonly ITokenCodec _codec;
    private readonly string?[] _tokenStrings;
    private readonly Dictionary<string, int> _addedTokens;
    private readonly string[] _addedTokensLongestFirst;
    private readonly HashSet<char> _addedTokenFirstChars;
    private readonly HashSet<int> _addedIds;
    private readonly HashSet<int> _specialIds;
    private readonly bool _addBos;
    private readonly bool _templateUnrecognised;

    internal HfTextTokenizer(
        string folder,
        ITokenCodec codec,
        string?[] tokenStrings,
        Dictionary<string, int> addedTokens,
        HashSet<int> specialIds,
        int? bosTokenId,
        IReadOnlyList<int> eosTokenIds,
        bool addBos,
        ChatTemplateFormat chatFormat,
        bool templateUnrecognised)
    {
        Folder = folder;
        _codec = codec;
        _tokenStrings = tokenStrings;
        _addedTokens = addedTokens;
        _addedTokensLongestFirst = [.. addedTokens.Keys.OrderByDescending(token => token.Length).ThenBy(token => token, StringComparer.Ordinal)];
        _addedTokenFirstChars = [.. addedTokens.Keys.Where(token => token.Length > 0).Select(token => token[0])];
        _addedIds = [.. addedTokens.Values];
        _specialIds = specialIds;
        BosTokenId = bosTokenId;
        EosTokenIds = eosTokenIds;
        _addBos = addBos;
        ChatFormat = chatFormat;
        _templateUnrecognised = templateUnrecognised;
        VocabularyFingerprint = ComputeFingerprint(tokenStrings);
        Description = $"{codec.Kind} ({tokenStrings.Length} tokens) from {folder}";
    }

    /// <summary>The folder the tokenizer was read from.</summary>
    public string Folder { get; }

    /// <summary>The chat layout in use.</summary>
    public ChatTemplateFormat ChatFormat { get; }

    /// <summary>Whether <see cref="Encode"/> with special tokens prepends <see cref="BosTokenId"/>.</summary>
    public bool AddsBosToken => _addBos && BosTokenId is not null;

    /// <inheritdoc />
    public string VocabularyFingerprint { get; }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public int VocabularySize => _tokenStrings.Length;

    /// <inheritdoc />
    public int? BosTokenId { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> EosTokenIds { get; }

    /// <inheritdoc />
    public bool HasChatTemplate => ChatFormat != ChatTemplateFormat.None;

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        var segmentStart = 0;
        var position = 0;
        while (position < text.Length)
        {
            var added = MatchAddedToken(text, position);
            if (added is null)
            {
                position++;
                continue;
            }

            if (position > segmentStart)
            {
                _codec.Encode(text[segmentStart..position], ids);
            }

            ids.Add(_addedTokens[added]);
            position += added.Length;
            segmentStart = position;
        }

        if (text.Length > segmentStart)
        {
            _codec.Encode(text[segmentStart..], ids);
        }

        // A chat prompt may already start with BOS (Llama 3 writes <|begin_of_text|>): never add a second.
        if (addSpecialTokens && AddsBosToken && (ids.Count == 0 || ids[0] != BosTokenId))
        {
            ids.Insert(0, BosTokenId!.Value);
        }

        return ids;
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        var run = new List<int>();
        foreach (var id in ids)
        {
            if ((uint)id >= (uint)_tokenStrings.Length || _tokenStrings[id] is null)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is not in the vocabulary of {Description}.");
            }

            if (!_addedIds.Contains(id))
            {
                run.Add(id);
                continue;
            }

            FlushRun(text, run);
            if (!(skipSpecialTokens && _specialIds.Contains(id)))
            {
                text.Append(_tokenStrings[id]);
            }
        }

        FlushRun(text, run);
        return text.ToString();
    }

    /// <inheritdoc />
    public string? GetTokenString(int id) => (uint)id < (uint)_tokenStrings.Length ? _tokenStrings[id] : null;

    /// <inheritdoc />
    public bool IsSpecialToken(int id) => _specialIds.Contains(id);

    /// <inheritdoc />
    public string ApplyChatTemplate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (ChatFormat == ChatTemplateFormat.None)
        {
            var why = _templateUnrecognised
                ? "its tokenizer_config.json chat_template is not one Medley recognises (Medley does not run Jinja templates)"
                : "it has no chat_template in tokenizer_config.json and no chat marker tokens";
            throw new MedleyException(
                TokenizationErrorCodes.NoChatTemplate,
                $"No chat template for the model in {Folder}: {why}. Supported formats: {ChatTemplates.SupportedFormats}.");
        }

        return ChatTemplates.Render(ChatFormat, messages, addGenerationPrompt);
    }

    private string? MatchAddedToken(string text, int position)
    {
        if (!_addedTokenFirstChars.Contains(text[position]))
        {
            return null;
        }

        foreach (var token in _addedTokensLongestFirst)
        {
            if (string.CompareOrdinal(text, position, token, 0, token.Length) == 0)
            {
                return token;
            }
        }

        return null;
    }

    private void FlushRun(StringBuilder text, List<int> run)
    {
        if (run.Count > 0)
        {
            text.Append(_codec.Decode(run));
            run.Clear();
        }
    }

    private static string ComputeFingerprint(string?[] tokenStrings)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[4];
        for (var id = 0; id < tokenStrings.Length; id++)
        {
            if (tokenStrings[id] is not { } token)
            {
                continue;
            }

            // Length-prefixed entries keep distinct tables from hashing the same byte stream.
            var bytes = Encoding.UTF8.GetBytes(token);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(buffer, id);
            hash.AppendData(buffer);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(buffer, bytes.Length);
            hash.AppendData(buffer);
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
