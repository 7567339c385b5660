using Medley.Host.Runtime;
using Medley.Runtime.Tests;

namespace Medley.Speculative.Tests;

/// <summary>
/// Tiny seeded Llama checkpoints exported to ONNX once for all tests: a 64-token target with a perturbed copy and an
/// unrelated model as drafts, and an 8-token pair for the distribution tests.
/// </summary>
public sealed class SpeculativeModels : IDisposable
{
    public const int Vocabulary = 64;
    public const int SmallVocabulary = 8;

    private readonly TempFolder _temp = new();

    public SpeculativeModels()
    {
        Target = Export(TinyCheckpoint.Llama(seed: 11, vocab: Vocabulary, layers: 2), "target", Vocabulary);
        PerturbedDraft = Export(Perturb(TinyCheckpoint.Llama(seed: 11, vocab: Vocabulary, layers: 2), seed: 5, amplitude: 0.015f), "perturbed", Vocabulary);
        UnrelatedDraft = Export(TinyCheckpoint.Llama(seed: 29, vocab: Vocabulary, layers: 1), "unrelated", Vocabulary);
        SmallTarget = Export(TinyCheckpoint.Llama(seed: 3, vocab: SmallVocabulary, hidden: 16, heads: 2, kvHeads: 2, layers: 1, intermediate: 24), "small-target", SmallVocabulary);
        SmallDraft = Export(TinyCheckpoint.Llama(seed: 4, vocab: SmallVocabulary, hidden: 16, heads: 2, kvHeads: 2, layers: 1, intermediate: 24), "small-draft", SmallVocabulary);
    }

    public OnnxCausalLanguageModel Target { get; }

    /// <summary>The target's weights plus small uniform noise: it mostly agrees with the target, as a distilled draft would.</summary>
    public OnnxCausalLanguageModel PerturbedDraft { get; }

    /// <summary>Other weights and one layer: it rarely agrees with the target.</summary>
    public OnnxCausalLanguageModel UnrelatedDraft { get; }

    public OnnxCausalLanguageModel SmallTarget { get; }

    public OnnxCausalLanguageModel SmallDraft { get; }

    public string TargetPath => _temp.Combine("target");

    public static TinyCheckpoint Perturb(TinyCheckpoint checkpoint, int seed, float amplitude)
    {
        var random = new Random(seed);
        foreach (var (_, (_, values)) in checkpoint.Tensors)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] += (float)((random.NextDouble() * 2 - 1) * amplitude);
            }
        }

        return checkpoint;
    }

    public void Dispose()
    {
        Target.Dispose();
        PerturbedDraft.Dispose();
        UnrelatedDraft.Dispose();
        SmallTarget.Dispose();
        SmallDraft.Dispose();
        _temp.Dispose();
    }

    private OnnxCausalLanguageModel Export(TinyCheckpoint checkpoint, string name, int vocabulary) =>
        ModelFixtures.Load(ModelFixtures.Export(checkpoint, _temp, name: name), vocabulary);
}
