namespace Medley.Ensemble.UnionVocab;

/// <summary>How a vocabulary writes the text of its tokens.</summary>
internal enum TokenTextScheme
{
    /// <summary>Token strings are the text itself (character-level and word-level vocabularies).</summary>
    Plain,

    /// <summary>GPT-2's byte-level alphabet: every byte is written as one printable character (space as <c>Ġ</c>).</summary>
    ByteLevel,

    /// <summary>SentencePiece: <c>▁</c> stands for a space and <c>&lt;0xNN&gt;</c> tokens for single bytes.</summary>
    SentencePiece,
}
