using Medley.Host.Onnx.Export;
using Medley.Host.Runtime;
using Medley.Sdk;
using Onnx;

namespace Medley.Runtime.Tests;

/// <summary>What the exporter and the runtime say about inputs they cannot use.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public void A_missing_tensor_is_named()
    {
        var folder = TinyCheckpoint.Llama(seed: 1).Write(_temp.Combine("hf"), "model.layers.1.mlp.up_proj.weight", "model.norm.weight");
        var error = Assert.Throws<MedleyException>(() => OnnxExporter.Export(folder, _temp.Combine("out")));
        Assert.Equal(OnnxExportErrorCodes.MissingTensors, error.Code);
        Assert.Contains("lacks 2 tensor(s)", error.Message, StringComparison.Ordinal);
        Assert.Equal(["model.norm.weight", "model.layers.1.mlp.up_proj.weight"], error.Details.Order(StringComparer.Ordinal).Reverse());
        Assert.False(Directory.Exists(_temp.Combine("out")));
    }

    [Fact]
    public void An_untied_head_without_lm_head_is_a_missing_tensor()
    {
        var folder = TinyCheckpoint.Llama(seed: 1).Write(_temp.Combine("hf"), "lm_head.weight");
        var error = Assert.Throws<MedleyException>(() => OnnxExporter.Export(folder, _temp.Combine("out")));
        Assert.Equal(["lm_head.weight"], error.Details);
    }

    [Fact]
    public void An_unsupported_architecture_is_named_with_the_supported_ones()
    {
        var checkpoint = TinyCheckpoint.Llama(seed: 1);
        checkpoint.Config["model_type"] = "bert";
        var folder = checkpoint.Write(_temp.Combine("hf"));
        var error = Assert.Throws<MedleyException>(() => OnnxExporter.Export(folder, _temp.Combine("out")));
        Assert.Equal(OnnxExportErrorCodes.UnsupportedArchitecture, error.Code);
        Assert.Contains("model_type 'bert'", error.Message, StringComparison.Ordinal);
        Assert.Contains("gpt2, llama, mistral, qwen2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sliding_window_mistral_is_refused()
    {
        var checkpoint = TinyCheckpoint.Llama(seed: 1, modelType: "mistral");
        checkpoint.Config["sliding_window"] = 4096;
        var error = Assert.Throws<MedleyException>(() => OnnxExporter.Export(checkpoint.Write(_temp.Combine("hf")), _temp.Combine("out")));
        Assert.Equal(OnnxExportErrorCodes.ConfigInvalid, error.Code);
        Assert.Contains("'sliding_window' is 4096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tensor_of_the_wrong_shape_is_named_with_both_shapes()
    {
        var checkpoint = TinyCheckpoint.Llama(seed: 1);
        checkpoint.Config["intermediate_size"] = 40;
        var error = Assert.Throws<MedleyException>(() => OnnxExporter.Export(checkpoint.Write(_temp.Combine("hf")), _temp.Combine("out")));
        Assert.Equal(OnnxExportErrorCodes.TensorShapeMismatch, error.Code);
        Assert.Contains("'model.layers.0.mlp.gate_proj.weight' has shape [48, 32]; config.json implies [40, 32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_existing_output_is_kept_unless_overwrite_is_asked_for()
    {
        var folder = TinyCheckpoint.Gpt2(seed: 1).Write(_temp.Combine("hf"));
        Directory.CreateDirectory(_temp.Combine("out"));
        File.WriteAllText(_temp.Combine("out", "keep.txt"), "mine");
        var error = Assert.Throws<MedleyException>(() => OnnxExporter.Export(folder, _temp.Combine("out")));
        Assert.Equal(OnnxExportErrorCodes.OutputExists, error.Code);
        Assert.True(File.Exists(_temp.Combine("out", "keep.txt")));

        var result = OnnxExporter.Export(folder, _temp.Combine("out"), new OnnxExportOptions { Overwrite = true });
        Assert.False(File.Exists(_temp.Combine("out", "keep.txt")));
        Assert.Equal(["config.json", "tokenizer.json"], result.CopiedFiles);
        Assert.True(File.Exists(_temp.Combine("out", "tokenizer.json")));
        Assert.Empty(Directory.GetDirectories(_temp.Path, ".out.medley-tmp-*"));
    }

    [Fact]
    public void A_model_without_past_inputs_is_not_a_decoder()
    {
        var path = _temp.Combine("encoder.onnx");
        NonDecoderModel().WriteToFile(path);
        var error = Assert.Throws<MedleyException>(() => ModelFixtures.Load(path));
        Assert.Equal(OnnxRuntimeErrorCodes.NotDecoder, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("input 'past_key_values.0.key', input 'past_key_values.0.value'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_file_is_named()
    {
        var folder = ModelFixtures.Export(TinyCheckpoint.Gpt2(seed: 1), _temp);
        var file = Path.Combine(folder, "model.onnx");
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<MedleyException>(() => ModelFixtures.Load(folder));
        Assert.Equal(OnnxRuntimeErrorCodes.ModelInvalid, error.Code);
        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tokenizer_larger_than_the_logits_is_a_vocabulary_mismatch()
    {
        var folder = ModelFixtures.Export(TinyCheckpoint.Gpt2(seed: 1), _temp);
        var error = Assert.Throws<MedleyException>(() => ModelFixtures.Load(folder, tokenizerVocabulary: 100));
        Assert.Equal(OnnxRuntimeErrorCodes.VocabularyMismatch, error.Code);
        Assert.Contains("(test tokenizer (100 tokens)) has 100 token ids", error.Message, StringComparison.Ordinal);
        Assert.Contains("logits for 64", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(folder, "model.onnx"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_a_model_lists_what_was_looked_for()
    {
        var error = Assert.Throws<MedleyException>(() => ModelFixtures.Load(_temp.Path));
        Assert.Equal(OnnxRuntimeErrorCodes.ModelNotFound, error.Code);
        Assert.Contains("decoder_model_merged.onnx", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    // input_ids → Gather → logits: a language model without a cache.
    private static ModelProto NonDecoderModel()
    {
        var graph = new OnnxGraphBuilder("no-cache");
        graph.AddInput("input_ids", TensorProto.Types.DataType.Int64, "batch", "sequence");
        graph.AddOutput("logits", TensorProto.Types.DataType.Float, "batch", "sequence", 4);
        var table = graph.Floats("table", [4, 4], new float[16]);
        graph.Add("Gather", [table, "input_ids"], "logits");
        var model = new ModelProto { IrVersion = 8, Graph = graph.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Version = 17 });
        return model;
    }
}
