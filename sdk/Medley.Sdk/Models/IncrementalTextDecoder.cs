namespace Medley.Sdk.Models;

/// <summary>
/// Turns tokens into text one at a time, in constant work per token, for strategies that stream their output.
/// A byte-level token can end inside a UTF-8 character, and SentencePiece drops the leading space of the first
/// token it decodes, so each step decodes a short window that starts before the new token and releases only text
/// that can no longer change.
/// </summary>
public sealed class IncrementalTextDecoder
{
    private readonly ITextTokenizer _tokenizer;
    private readonly List<int> _tokens = [];
    private int _prefixOffset;
    private int _readOffset;

    /// <summary>Creates a decoder for one sequence.</summary>
    /// <param name="tokenizer">The tokenizer the tokens come from.</param>
    public IncrementalTextDecoder(ITextTokenizer tokenizer) => _tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));

    /// <summary>Adds a token and returns the text it completes (empty while a character is unfinished).</summary>
    /// <param name="token">The next token id.</param>
    /// <returns>The new text, possibly empty.</returns>
    public string Add(int token)
    {
        _tokens.Add(token);
        var prefixText = _tokenizer.Decode(Window(_prefixOffset, _readOffset));
        var newText = _tokenizer.Decode(Window(_prefixOffset, _tokens.Count));
        if (newText.Length <= prefixText.Length || newText.EndsWith('\uFFFD'))
        {
            // Nothing new, or an incomplete character: wait for the next token.
            return string.Empty;
        }

        _prefixOffset = _readOffset;
        _readOffset = _tokens.Count;
        return newText[prefixText.Length..];
    }

    /// <summary>Whatever is still held back at the end of generation.</summary>
    /// <returns>The remaining text, possibly empty.</returns>
    public string Flush()
    {
        var prefixText = _tokenizer.Decode(Window(_prefixOffset, _readOffset));
        var newText = _tokenizer.Decode(Window(_prefixOffset, _tokens.Count));
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
