using System.Globalization;
using System.Text;
using Medley.Sdk;
using Medley.Sdk.Models;

namespace Medley.Ensemble.UnionVocab;

/// <summary>
/// One member's vocabulary seen as text: the plain text of every token (byte-level and ▁ markers removed), the
/// tokens that spell each text, and how the member would start writing a text it has no single token for.
/// </summary>
internal sealed class MemberVocabulary
{
    private const char SentencePieceSpace = '▁';

    // Strict decoding: a token holding part of a multi-byte character is not text on its own, so it cannot be
    // compared with other vocabularies' tokens or handed to their tokenizers.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ITextTokenizer _tokenizer;
    private readonly string?[] _texts;
    private readonly Dictionary<string, int[]> _idsByText;
    private readonly Dictionary<string, int?> _firstTokenCache = new(StringComparer.Ordinal);

    public MemberVocabulary(ITextTokenizer tokenizer, int logitsWidth)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
        Width = Math.Min(logitsWidth, tokenizer.VocabularySize);
        Scheme = DetectScheme(tokenizer);
        EosIds = [.. tokenizer.EosTokenIds.Where(id => id >= 0 && id < Width).Distinct().Order()];
        _texts = new string?[Width];
        var ids = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var id = 0; id < Width; id++)
        {
            if (tokenizer.IsSpecialToken(id))
            {
                continue;
            }

            var text = Normalise(tokenizer.GetTokenString(id), Scheme);
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            _texts[id] = text;
            if (!ids.TryGetValue(text, out var list))
            {
                ids[text] = list = [];
            }

            list.Add(id);
        }

        _idsByText = ids.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The tokenizer's description, for messages.</summary>
    public string Description => _tokenizer.Description;

    /// <summary>Token ids below this are both in the tokenizer and in the logits.</summary>
    public int Width { get; }

    public TokenTextScheme Scheme { get; }

    /// <summary>The member's end-of-sequence ids, ascending.</summary>
    public IReadOnlyList<int> EosIds { get; }

    /// <summary>The plain text of a token, or null for special tokens and fragments of a multi-byte character.</summary>
    public string? TextOf(int id) => (uint)id < (uint)_texts.Length ? _texts[id] : null;

    public bool IsEos(int id) => EosIds.Contains(id);

    /// <summary>Every token whose plain text is exactly <paramref name="text"/>.</summary>
    public IReadOnlyList<int> IdsSpelling(string text) => _idsByText.TryGetValue(text, out var ids) ? ids : [];

    /// <summary>
    /// The first token of this member's tokenization of <paramref name="text"/>, or null when its tokenizer cannot
    /// write the text at all (a character-level vocabulary without the character and without an unknown token).
    /// </summary>
    public bool TryGetFirstToken(string text, out int? firstToken)
    {
        if (_firstTokenCache.TryGetValue(text, out firstToken))
        {
            return firstToken is not null;
        }

        firstToken = FindFirstToken(text);
        _firstTokenCache[text] = firstToken;
        return firstToken is not null;
    }

    /// <summary>The member's tokenization of a piece of output on its own (for the ids reported with it).</summary>
    public IReadOnlyList<int> EncodePiece(string text) => _tokenizer.Encode(text, addSpecialTokens: false);

    internal static string? Normalise(string? tokenString, TokenTextScheme scheme)
    {
        if (tokenString is null)
        {
            return null;
        }

        return scheme switch
        {
            TokenTextScheme.ByteLevel => DecodeByteLevel(tokenString),
            TokenTextScheme.SentencePiece => DecodeSentencePiece(tokenString),
            _ => tokenString,
        };
    }

    private int? FindFirstToken(string text)
    {
        IReadOnlyList<int> encoded;
        try
        {
            encoded = _tokenizer.Encode(text, addSpecialTokens: false);
        }
        catch (MedleyException)
        {
            return null;
        }

        if (encoded.Count == 0)
        {
            return null;
        }

        if (Spells(encoded, text))
        {
            return encoded[0];
        }

        // Encoding a piece on its own can give what the same piece inside a longer text would not (SentencePiece's
        // dummy prefix turns "world" into ▁wor…), or byte fragments and unknown tokens: then the longest token that
        // spells a beginning of the piece is the honest stand-in for its first token.
        for (var length = text.Length - 1; length > 0; length--)
        {
            if (_idsByText.TryGetValue(text[..length], out var ids))
            {
                return ids[0];
            }
        }

        return encoded[0];
    }

    private bool Spells(IReadOnlyList<int> ids, string text)
    {
        var position = 0;
        foreach (var id in ids)
        {
            if (TextOf(id) is not { } piece || string.CompareOrdinal(text, position, piece, 0, piece.Length) != 0)
            {
                return false;
            }

            position += piece.Length;
        }

        return position == text.Length;
    }

    private static TokenTextScheme DetectScheme(ITextTokenizer tokenizer)
    {
        var singleCharacters = new HashSet<char>();
        var hasSentencePieceSpace = false;
        for (var id = 0; id < tokenizer.VocabularySize; id++)
        {
            var token = tokenizer.GetTokenString(id);
            if (token is null)
            {
                continue;
            }

            if (token.Length == 1)
            {
                singleCharacters.Add(token[0]);
            }

            hasSentencePieceSpace |= token.Contains(SentencePieceSpace, StringComparison.Ordinal);
        }

        // A vocabulary holding all 256 of GPT-2's byte characters is byte-level: a plain vocabulary would have no
        // reason to contain Ā, Ġ, ġ and the other stand-ins for control bytes.
        if (ByteLevelAlphabet.Characters.All(singleCharacters.Contains))
        {
            return TokenTextScheme.ByteLevel;
        }

        return hasSentencePieceSpace ? TokenTextScheme.SentencePiece : TokenTextScheme.Plain;
    }

    private static string? DecodeByteLevel(string token)
    {
        var bytes = new byte[token.Length];
        for (var i = 0; i < token.Length; i++)
        {
            if (!ByteLevelAlphabet.TryGetByte(token[i], out bytes[i]))
            {
                // Added tokens of a byte-level vocabulary are written as plain text.
                return token;
            }
        }

        return DecodeStrict(bytes);
    }

    private static string? DecodeSentencePiece(string token)
    {
        if (token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
            && byte.TryParse(token.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var single))
        {
            return DecodeStrict([single]);
        }

        return token.Replace(SentencePieceSpace, ' ');
    }

    private static string? DecodeStrict(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
