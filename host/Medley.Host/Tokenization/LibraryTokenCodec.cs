using Microsoft.ML.Tokenizers;

namespace Medley.Host.Tokenization;

/// <summary>Delegates to a Microsoft.ML.Tokenizers tokenizer built without BOS/EOS or special tokens.</summary>
/// <param name="kind">Kind name for descriptions.</param>
/// <param name="tokenizer">The library tokenizer.</param>
/// <param name="addPrefixSpace">Whether to put a space before text that does not start with one (byte-level <c>add_prefix_space</c>).</param>
internal sealed class LibraryTokenCodec(string kind, Tokenizer tokenizer, bool addPrefixSpace = false) : ITokenCodec
{
    public string Kind { get; } = kind;

    public void Encode(string text, List<int> ids)
    {
        if (addPrefixSpace && text.Length > 0 && text[0] != ' ')
        {
            text = " " + text;
        }

        ids.AddRange(tokenizer.EncodeToIds(text));
    }

    public string Decode(IReadOnlyList<int> ids) => tokenizer.Decode(ids);
}
