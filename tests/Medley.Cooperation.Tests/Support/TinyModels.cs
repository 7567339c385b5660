using Medley.Host.Runtime;
using Medley.Runtime.Tests;

namespace Medley.Cooperation.Tests.Support;

/// <summary>Seeded tiny real models sharing a 64-token vocabulary, exported to ONNX once for a test class, and one of 80 tokens.</summary>
public sealed class TinyModels : IDisposable
{
    private readonly TempFolder _temp = new();

    public TinyModels()
    {
        Large = Load(TinyCheckpoint.Llama(101, hidden: 48, layers: 3), "large");
        SmallTuned = Load(TinyCheckpoint.Gpt2(102), "small-tuned");
        Small = Load(TinyCheckpoint.Gpt2(103), "small");
        OtherVocabulary = Load(TinyCheckpoint.Gpt2(104, vocab: 80), "other-vocabulary", 80);
    }

    public OnnxCausalLanguageModel Large { get; }

    public OnnxCausalLanguageModel SmallTuned { get; }

    public OnnxCausalLanguageModel Small { get; }

    public OnnxCausalLanguageModel OtherVocabulary { get; }

    public void Dispose()
    {
        Large.Dispose();
        SmallTuned.Dispose();
        Small.Dispose();
        OtherVocabulary.Dispose();
        _temp.Dispose();
    }

    private OnnxCausalLanguageModel Load(TinyCheckpoint checkpoint, string name, int vocabulary = 64) =>
        ModelFixtures.Load(ModelFixtures.Export(checkpoint, _temp, name: name), vocabulary);
}
