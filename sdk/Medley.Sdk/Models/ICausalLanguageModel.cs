namespace Medley.Sdk.Models;

/// <summary>A language model that Medley runs step by step with access to its logits.</summary>
public interface ICausalLanguageModel : IDisposable
{
    /// <summary>Facts about the model.</summary>
    ModelInfo Info { get; }

    /// <summary>The model's tokenizer.</summary>
    ITextTokenizer Tokenizer { get; }

    /// <summary>Starts an empty sequence.</summary>
    /// <returns>A new session; dispose it to free its cache.</returns>
    IDecodingSession CreateSession();
}
