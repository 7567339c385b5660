using System.Text.Json.Nodes;
using Medley.Host.Onnx.Export;
using Onnx;
using Xunit.Abstractions;

namespace Medley.Runtime.Tests;

/// <summary>Export variants (fp16, external data) and model files Medley did not write (legacy merged decoders).</summary>
public sealed class ModelFormatTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    [Theory]
    [InlineData("gpt2")]
    [InlineData("llama")]
    public async Task Fp16_weights_stay_close_to_fp32_at_half_the_size(string family)
    {
        var checkpoint = family == "gpt2" ? TinyCheckpoint.Gpt2(seed: 31) : TinyCheckpoint.Llama(seed: 31, kvHeads: 2);
        var full = ModelFixtures.Export(checkpoint, _temp, name: "fp32");
        var half = ModelFixtures.Export(checkpoint, _temp, new OnnxExportOptions { Dtype = OnnxExportDtype.Float16 }, name: "fp16");
        using var fullModel = ModelFixtures.Load(full);
        using var halfModel = ModelFixtures.Load(half);

        var fullLogits = await ModelFixtures.AllAtOnce(fullModel, ModelFixtures.Prompt);
        using var session = halfModel.CreateSession();
        var halfLogits = await ModelFixtures.OneByOne(session, ModelFixtures.Prompt);
        var diff = ModelFixtures.MaxAbsDiff(halfLogits, fullLogits);

        long fullBytes = new FileInfo(Path.Combine(full, "model.onnx")).Length, halfBytes = new FileInfo(Path.Combine(half, "model.onnx")).Length;
        output.WriteLine($"{family}: fp16 vs fp32 max abs diff {diff:E2}; model.onnx {fullBytes} vs {halfBytes} bytes");
        Assert.True(diff <= 2e-2, $"fp16 max abs diff {diff}");
        Assert.True(diff > 0, "fp16 weights should round something");
        Assert.True(halfBytes < fullBytes * 0.6, $"fp16 file {halfBytes} bytes vs fp32 {fullBytes}");
    }

    [Fact]
    public async Task External_data_is_aligned_and_gives_the_same_logits()
    {
        var checkpoint = TinyCheckpoint.Llama(seed: 41, kvHeads: 2);
        var folder = ModelFixtures.Export(checkpoint, _temp, new OnnxExportOptions { ForceExternalData = true });
        var dataFile = Path.Combine(folder, OnnxExporter.ExternalDataFileName);
        Assert.True(File.Exists(dataFile));

        var model = ModelProto.Parser.ParseFromFile(Path.Combine(folder, OnnxExporter.ModelFileName));
        var external = model.Graph.Initializer.Where(t => t.DataLocation == TensorProto.Types.DataLocation.External).ToList();
        Assert.Equal(checkpoint.Tensors.Count, external.Count);
        foreach (var tensor in external)
        {
            var entries = tensor.ExternalData.ToDictionary(e => e.Key, e => e.Value);
            Assert.Equal(OnnxExporter.ExternalDataFileName, entries["location"]);
            Assert.Equal(0, long.Parse(entries["offset"], System.Globalization.CultureInfo.InvariantCulture) % 4096);
            Assert.True(tensor.RawData.IsEmpty);
        }

        using var loaded = ModelFixtures.Load(folder);
        var logits = await ModelFixtures.AllAtOnce(loaded, ModelFixtures.Prompt);
        Assert.True(ModelFixtures.MaxAbsDiff(logits, ReferenceForward.Llama(checkpoint, ModelFixtures.Prompt)) <= 1e-4);
    }

    [Fact]
    public async Task A_legacy_merged_decoder_takes_the_no_cache_branch_first_and_the_cache_branch_after()
    {
        var checkpoint = TinyCheckpoint.Gpt2(seed: 51);
        var exported = ModelFixtures.Export(checkpoint, _temp);
        var legacy = Directory.CreateDirectory(_temp.Combine("legacy")).FullName;
        MergedDecoderBuilder.Build(Path.Combine(exported, "model.onnx"), Path.Combine(legacy, "decoder_model_merged.onnx"));
        File.Copy(Path.Combine(exported, "config.json"), Path.Combine(legacy, "config.json"));

        using var model = ModelFixtures.Load(legacy);
        Assert.EndsWith("decoder_model_merged.onnx", model.Info.Location, StringComparison.Ordinal);
        Assert.Equal(2, model.Info.LayerCount);
        Assert.Equal(4, model.Info.KeyValueHeads);
        Assert.Equal(8, model.Info.HeadSize);
        using var session = model.CreateSession();
        var prefill = await session.AppendAsync(ModelFixtures.Prompt[..5], Medley.Sdk.Models.LogitsScope.All);
        var rest = await ModelFixtures.OneByOne(session, ModelFixtures.Prompt[5..]);

        var reference = ReferenceForward.Gpt2(checkpoint, ModelFixtures.Prompt);
        var prefillRows = Enumerable.Range(0, 5).Select(i => prefill.Row(i).ToArray().Select(v => v - MergedDecoderBuilder.NoCacheLogitsOffset).ToArray()).ToArray();
        Assert.True(ModelFixtures.MaxAbsDiff(prefillRows, reference[..5]) <= 1e-3);
        Assert.True(ModelFixtures.MaxAbsDiff(rest, reference[5..]) <= 1e-4);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Symbolic_cache_and_vocabulary_dimensions_come_from_config_json_or_a_probe_run(bool configStatesVocabulary)
    {
        var checkpoint = TinyCheckpoint.Llama(seed: 71, kvHeads: 2);
        var folder = ModelFixtures.Export(checkpoint, _temp);
        var path = Path.Combine(folder, "model.onnx");
        var model = ModelProto.Parser.ParseFromFile(path);
        foreach (var value in model.Graph.Input.Concat(model.Graph.Output).Where(v => v.Name != "input_ids"))
        {
            foreach (var dim in value.Type.TensorType.Shape.Dim.Where(d => d.HasDimValue))
            {
                dim.DimParam = "unknown_" + dim.DimValue;
            }
        }

        model.WriteToFile(path);
        if (!configStatesVocabulary)
        {
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!.AsObject();
            config.Remove("vocab_size");
            File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        }

        using var loaded = ModelFixtures.Load(folder);
        Assert.Equal(2, loaded.Info.KeyValueHeads);
        Assert.Equal(8, loaded.Info.HeadSize);
        Assert.Equal(64, loaded.Info.VocabularySize);
        var logits = await ModelFixtures.AllAtOnce(loaded, ModelFixtures.Prompt);
        Assert.True(ModelFixtures.MaxAbsDiff(logits, ReferenceForward.Llama(checkpoint, ModelFixtures.Prompt)) <= 1e-4);
    }

    [Fact]
    public async Task A_float16_cache_and_float16_logits_are_kept_and_converted()
    {
        var checkpoint = TinyCheckpoint.Llama(seed: 91, kvHeads: 2);
        var folder = ModelFixtures.Export(checkpoint, _temp);
        HalfPrecisionInterface.Apply(Path.Combine(folder, "model.onnx"));
        using var model = ModelFixtures.Load(folder);
        var reference = ReferenceForward.Llama(checkpoint, ModelFixtures.Prompt);

        using var session = model.CreateSession();
        var stepwise = ModelFixtures.MaxAbsDiff(await ModelFixtures.OneByOne(session, ModelFixtures.Prompt), reference);
        session.Rewind(5);
        using var fork = session.Fork();
        var again = await ModelFixtures.OneByOne(fork, ModelFixtures.Prompt[5..]);

        output.WriteLine($"float16 interface: max abs diff {stepwise:E2}");
        Assert.True(stepwise is > 0 and <= 2e-2, $"float16 interface max abs diff {stepwise}");
        Assert.True(ModelFixtures.MaxAbsDiff(again, reference[5..]) <= 2e-2);
    }

    public void Dispose() => _temp.Dispose();
}
