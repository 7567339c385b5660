using Medley.Sdk.Models;

namespace Medley.Cooperation.Speculative;

/// <summary>
/// Turns tokens into text one at a time in constant work per token (the host's incremental decoder, which plugins
/// cannot reach). A byte-level token can end inside a UTF-8 character and SentencePiece drops the leading space of
/// the first token it decodes, so each step decodes a short window that starts before the new token and releases
/// only text that can no longer change.
/// </summary>
internal sealed class TokenTextDecoder(ITextTokenizer tokenizer)
{
    private readonly List<int> _tokens = [];
    private int _prefixOffset;
    private int _readOffset;

    /// <summary>Adds a token and returns the text it completes (empty while a character is unfinished).</summary>
    public string Add(int token)
    {
        _tokens.Add(token);
        var prefixText = tokenizer.Decode(Window(_prefixOffset, _readOffset));
        var newText = tokenizer.Decode(Window(_prefixOffset, _tokens.Count));
        if (newText.Length <= prefixText.Length || newText.EndsWith('\uFFFD'))
        {
            return string.Empty;
        }

        _prefixOffset = _readOffset;
        _readOffset = _tokens.Count;
        return newText[prefixText.Length..];
    }

    /// <summary>Whatever is still held back at the end of generation.</summary>
    public string Flush()
    {
        var prefixText = tokenizer.Decode(Window(_prefixOffset, _readOffset));
        var newText = tokenizer.Decode(Window(_prefixOffset, _tokens.Count));
        _prefixOffset = _readOffset = _tokens.Count;
        return newText.Length > prefixText.Length ? newText[prefixText.Length..] : string.Empty;
    }

    private IEnumerable<int> Window(int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            yield return _tokens[i];
        }
    }
}
