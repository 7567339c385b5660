using Medley.Host.Onnx.Export;
using Xunit.Abstractions;

namespace Medley.Runtime.Tests;

/// <summary>Exported models agree with the independent reference forward pass, whole prompt and through the KV cache.</summary>
public sealed class ReferenceAgreementTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> Cases => ["gpt2", "gpt2-prefixed", "llama-untied", "llama-gqa-tied", "qwen2-bias-gqa", "mistral-theta"];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Logits_match_the_reference_whole_prompt_and_token_by_token(string name)
    {
        var (checkpoint, reference) = Build(name);
        using var temp = new TempFolder();
        var started = DateTime.UtcNow;
        var folder = ModelFixtures.Export(checkpoint, temp);
        var exportTime = DateTime.UtcNow - started;
        using var model = ModelFixtures.Load(folder);

        var whole = ModelFixtures.MaxAbsDiff(await ModelFixtures.AllAtOnce(model, ModelFixtures.Prompt), reference);
        using var session = model.CreateSession();
        var stepwise = ModelFixtures.MaxAbsDiff(await ModelFixtures.OneByOne(session, ModelFixtures.Prompt), reference);

        output.WriteLine($"{name}: whole {whole:E2}, token by token {stepwise:E2}, export {exportTime.TotalMilliseconds:F0} ms, model.onnx {new FileInfo(Path.Combine(folder, "model.onnx")).Length} bytes");
        Assert.True(whole <= Tolerance, $"{name}: whole-prompt max abs diff {whole}");
        Assert.True(stepwise <= Tolerance, $"{name}: token-by-token max abs diff {stepwise}");
        Assert.Equal(ModelFixtures.Prompt, session.Tokens);
    }

    [Fact]
    public async Task Mixed_chunks_through_the_cache_match_the_reference()
    {
        var checkpoint = TinyCheckpoint.Llama(seed: 11, kvHeads: 2);
        var reference = ReferenceForward.Llama(checkpoint, ModelFixtures.Prompt);
        using var temp = new TempFolder();
        using var model = ModelFixtures.Load(ModelFixtures.Export(checkpoint, temp));
        using var session = model.CreateSession();

        var first = await session.AppendAsync(ModelFixtures.Prompt[..3], Medley.Sdk.Models.LogitsScope.All);
        var second = await session.AppendAsync(ModelFixtures.Prompt[3..], Medley.Sdk.Models.LogitsScope.All);

        var rows = Enumerable.Range(0, 3).Select(i => first.Row(i).ToArray())
            .Concat(Enumerable.Range(0, second.Positions).Select(i => second.Row(i).ToArray())).ToArray();
        Assert.True(ModelFixtures.MaxAbsDiff(rows, reference) <= Tolerance);
    }

    [Fact]
    public async Task Hand_checkable_case_with_silent_layers_normalizes_the_embedding()
    {
        // Every layer weight zero: the residual stream stays the embedding [3, 4]; RMSNorm divides by
        // sqrt((9 + 16) / 2) = 3.5355 giving [0.84853, 1.13137]; lm_head rows [1,0], [0,1], [1,1] read it out.
        var checkpoint = TinyCheckpoint.Llama(seed: 3, layers: 1, vocab: 3, hidden: 2, heads: 1, kvHeads: 1, intermediate: 2);
        foreach (var (name, (_, values)) in checkpoint.Tensors)
        {
            Array.Fill(values, name.Contains("norm", StringComparison.Ordinal) ? 1f : 0f);
        }

        checkpoint["model.embed_tokens.weight"][2] = 3;
        checkpoint["model.embed_tokens.weight"][3] = 4;
        float[] head = [1, 0, 0, 1, 1, 1];
        head.CopyTo(checkpoint["lm_head.weight"], 0);
        using var temp = new TempFolder();
        using var model = ModelFixtures.Load(ModelFixtures.Export(checkpoint, temp), tokenizerVocabulary: 3);

        var logits = await ModelFixtures.AllAtOnce(model, [1]);

        Assert.Equal(0.84853, logits[0][0], 4);
        Assert.Equal(1.13137, logits[0][1], 4);
        Assert.Equal(1.97990, logits[0][2], 4);
    }

    [Fact]
    public void Model_info_comes_from_the_graph()
    {
        var checkpoint = TinyCheckpoint.Llama(seed: 5, kvHeads: 2, tied: true);
        using var temp = new TempFolder();
        using var model = ModelFixtures.Load(ModelFixtures.Export(checkpoint, temp));
        Assert.Equal(2, model.Info.LayerCount);
        Assert.Equal(2, model.Info.KeyValueHeads);
        Assert.Equal(8, model.Info.HeadSize);
        Assert.Equal(64, model.Info.VocabularySize);
        Assert.Equal("llama", model.Info.Architecture);
        Assert.Equal(128, model.Info.ContextLength);
        Assert.Equal("cpu", model.Info.Device);
        Assert.EndsWith("model.onnx", model.Info.Location, StringComparison.Ordinal);
    }

    private static (TinyCheckpoint, double[][]) Build(string name)
    {
        switch (name)
        {
            case "gpt2":
                var gpt2 = TinyCheckpoint.Gpt2(seed: 1);
                return (gpt2, ReferenceForward.Gpt2(gpt2, ModelFixtures.Prompt));
            case "gpt2-prefixed":
                var prefixed = TinyCheckpoint.Gpt2(seed: 2, prefix: "transformer.");
                return (prefixed, ReferenceForward.Gpt2(prefixed, ModelFixtures.Prompt, "transformer."));
            case "llama-untied":
                var untied = TinyCheckpoint.Llama(seed: 3);
                return (untied, ReferenceForward.Llama(untied, ModelFixtures.Prompt));
            case "llama-gqa-tied":
                var gqa = TinyCheckpoint.Llama(seed: 4, kvHeads: 2, tied: true);
                return (gqa, ReferenceForward.Llama(gqa, ModelFixtures.Prompt));
            case "qwen2-bias-gqa":
                var qwen = TinyCheckpoint.Llama(seed: 5, modelType: "qwen2", kvHeads: 2, qkvBias: true, ropeTheta: 1000000.0);
                return (qwen, ReferenceForward.Llama(qwen, ModelFixtures.Prompt));
            default:
                var mistral = TinyCheckpoint.Llama(seed: 6, modelType: "mistral", kvHeads: 1, ropeTheta: 500.0);
                mistral.Config["sliding_window"] = null;
                return (mistral, ReferenceForward.Llama(mistral, ModelFixtures.Prompt));
        }
    }
}
