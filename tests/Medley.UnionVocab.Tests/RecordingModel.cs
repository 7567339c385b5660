using Medley.Sdk.Models;

namespace Medley.UnionVocab.Tests;

/// <summary>Wraps a model so that a test can see every session the strategy opened and the state after each append.</summary>
public sealed class RecordingModel(ICausalLanguageModel inner) : ICausalLanguageModel
{
    public List<RecordingSession> Sessions { get; } = [];

    public ModelInfo Info => inner.Info;

    public ITextTokenizer Tokenizer => inner.Tokenizer;

    public IDecodingSession CreateSession()
    {
        var session = new RecordingSession(this, inner.CreateSession());
        Sessions.Add(session);
        return session;
    }

    /// <summary>Leaves the inner model to its owner.</summary>
    public void Dispose()
    {
    }
}
