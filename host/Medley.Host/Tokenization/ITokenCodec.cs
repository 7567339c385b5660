namespace Medley.Host.Tokenization;

/// <summary>Encodes and decodes text that contains no added tokens (those are split off before).</summary>
internal interface ITokenCodec
{
    /// <summary>Short kind name for descriptions, e.g. <c>byte-level BPE</c>.</summary>
    string Kind { get; }

    /// <summary>Encodes one stretch of ordinary text.</summary>
    void Encode(string text, List<int> ids);

    /// <summary>Decodes a run of ordinary (non-added) ids.</summary>
    string Decode(IReadOnlyList<int> ids);
}
