namespace Medley.Sdk.Models;

/// <summary>Which positions' logits an append returns.</summary>
public enum LogitsScope
{
    /// <summary>Only the last appended position (ordinary decoding).</summary>
    Last,

    /// <summary>Every appended position (verification in speculative decoding, prompt scoring).</summary>
    All,
}
