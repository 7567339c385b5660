using System.Text;
using Medley.Sdk;

namespace Medley.Host.Tokenization;

/// <summary>
/// One token per character, as small character-level models use (a BPE model with no merges, or a
/// WordLevel model whose words are single characters). Done here rather than through the library's BPE
/// so that no pre-tokenizer can drop whitespace the vocabulary has a token for.
/// </summary>
internal sealed class CharacterTokenCodec : ITokenCodec
{
    private readonly Dictionary<string, int> _vocabulary;
    private readonly Dictionary<int, string> _strings;
    private readonly int? _unknownId;
    private readonly string _source;

    public CharacterTokenCodec(Dictionary<string, int> vocabulary, int? unknownId, string source)
    {
        _vocabulary = vocabulary;
        _unknownId = unknownId;
        _source = source;
        _strings = vocabulary.ToDictionary(pair => pair.Value, pair => pair.Key);
    }

    public string Kind => "character-level";

    public void Encode(string text, List<int> ids)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (_vocabulary.TryGetValue(rune.ToString(), out var id))
            {
                ids.Add(id);
            }
            else if (_unknownId is { } unknown)
            {
                ids.Add(unknown);
            }
            else
            {
                throw new MedleyException(
                    TokenizationErrorCodes.UnknownCharacter,
                    $"The character U+{rune.Value:X4} is not in the character vocabulary of {_source}, which has no unknown token.");
            }
        }
    }

    public string Decode(IReadOnlyList<int> ids)
    {
        var text = new StringBuilder();
        foreach (var id in ids)
        {
            text.Append(_strings[id]);
        }

        return text.ToString();
    }
}
