using Medley.Sdk.Models;

namespace Medley.Host.Running;

/// <summary>
/// A model whose sessions count their forward passes, so that a run can report calls per member whoever makes
/// them (the host's loop or the strategy itself). It does not own the model it wraps.
/// </summary>
public sealed class CountingLanguageModel : ICausalLanguageModel
{
    /// <summary>Wraps a model.</summary>
    /// <param name="inner">The model.</param>
    public CountingLanguageModel(ICausalLanguageModel inner) => Inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>The wrapped model.</summary>
    public ICausalLanguageModel Inner { get; }

    /// <summary>The forward passes of every session of this model.</summary>
    public ForwardCounter Forward { get; } = new();

    /// <inheritdoc />
    public ModelInfo Info => Inner.Info;

    /// <inheritdoc />
    public ITextTokenizer Tokenizer => Inner.Tokenizer;

    /// <inheritdoc />
    public IDecodingSession CreateSession() => new CountingDecodingSession(this, Inner.CreateSession());

    /// <inheritdoc />
    public void Dispose()
    {
        // The wrapper owns nothing: the model's owner disposes it.
    }
}
