using Medley.Host.Merging.Planning;
using Medley.Sdk;

namespace Medley.MergeConfig.Tests;

public sealed class PlannerTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public PlannerTests()
    {
        _workspace.AddLlama("base", 2);
        _workspace.AddLlama("a", 2);
        _workspace.AddLlama("b", 2);
        _workspace.AddGpt2("gpt-a", 4);
        _workspace.AddGpt2("gpt-b", 4);
    }

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void A_tensor_missing_from_one_model_is_named_with_the_model()
    {
        var config = _workspace.Load("merge_method: ties\nbase_model: base\nparameters: {weight: 1}\nmodels: [{model: a}, {model: b}]\n");

        var error = Assert.Throws<MedleyException>(() => TestWorkspace.Plan(config, model =>
            model == "b"
                ? TestWorkspace.LlamaTensors(2).Where(t => t.Key != "model.layers.1.mlp.up_proj.weight").ToDictionary()
                : TestWorkspace.LlamaTensors(2)));

        Assert.Equal("merge.plan.invalid", error.Code);
        Assert.Equal(["model 'b' has no tensor 'model.layers.1.mlp.up_proj.weight' (tensor 'model.layers.1.mlp.up_proj.weight')"], error.Details);
    }

    [Fact]
    public void A_shape_mismatch_names_the_tensor_and_every_models_shape()
    {
        var config = _workspace.Load("merge_method: ties\nbase_model: base\nparameters: {weight: 1}\nmodels: [{model: a}, {model: b}]\n");

        var error = Assert.Throws<MedleyException>(() => TestWorkspace.Plan(config, model =>
        {
            var tensors = TestWorkspace.LlamaTensors(2).ToDictionary();
            if (model == "a")
            {
                tensors["model.layers.0.self_attn.q_proj.weight"] = [8, 4];
            }

            return tensors;
        }));

        Assert.Equal(
            ["shapes differ: 'base' [8, 8], 'a' [8, 4], 'b' [8, 8] (tensor 'model.layers.0.self_attn.q_proj.weight')"],
            error.Details);
    }

    [Fact]
    public void Vocabulary_matrices_of_different_sizes_merge_on_their_common_block_with_the_base_shape()
    {
        var config = _workspace.Load("merge_method: ties\nbase_model: base\nparameters: {weight: 1}\nmodels: [{model: a}, {model: b}]\n");

        var plan = TestWorkspace.Plan(config, model => TestWorkspace.LlamaTensors(2, vocabulary: model switch { "base" => 36, "a" => 32, _ => 40 }));

        foreach (var name in new[] { "model.embed_tokens.weight", "lm_head.weight" })
        {
            var tensor = MergekitExampleTests.Tensor(plan, name);
            Assert.Equal([36L, 8], tensor.Shape);
            Assert.Equal([32L, 8], tensor.MergeShape);
            Assert.Equal([32L, 8], tensor.Inputs[0].Shape);
            Assert.Equal([40L, 8], tensor.Inputs[1].Shape);
            Assert.Equal([36L, 8], tensor.Base!.Shape);
        }

        var norm = MergekitExampleTests.Tensor(plan, "model.norm.weight");
        Assert.Equal(norm.Shape, norm.MergeShape);
    }

    [Fact]
    public void Vocabulary_resize_is_refused_when_the_method_does_not_allow_it()
    {
        var config = _workspace.Load("merge_method: linear\nparameters: {weight: 1}\nmodels: [{model: a}, {model: b}]\n");

        var error = Assert.Throws<MedleyException>(() => TestWorkspace.Plan(config, model => TestWorkspace.LlamaTensors(2, vocabulary: model == "a" ? 32 : 40)));

        Assert.Equal(
            [
                "shapes differ: 'a' [32, 8], 'b' [40, 8]; merge method 'linear' does not merge vocabulary matrices of different sizes (tensor 'model.embed_tokens.weight')",
                "shapes differ: 'a' [32, 8], 'b' [40, 8]; merge method 'linear' does not merge vocabulary matrices of different sizes (tensor 'lm_head.weight')",
            ],
            error.Details);
    }

    [Fact]
    public void The_methods_own_parameter_check_runs_on_resolved_parameters()
    {
        var config = _workspace.Load("""
            merge_method: della
            base_model: base
            models:
              - model: a
                parameters: {weight: 1, density: [0.5, 0.9]}
            parameters:
              epsilon: 0.15
            """);

        var error = Assert.Throws<MedleyException>(() => TestWorkspace.Plan(config, _ => TestWorkspace.LlamaTensors(2)));

        // Layer 1 and lm_head / norm (t = 1) reach density 0.9, and 0.9 + 0.15 >= 1.
        Assert.Equal(
            ["merge method 'della': model 0: density ± epsilon must lie strictly between 0 and 1, got 0.9 ± 0.15 (tensor 'model.layers.1.input_layernorm.weight' and 4 more)"],
            error.Details);
    }

    [Fact]
    public void A_required_parameter_whose_filters_match_nothing_is_reported()
    {
        var config = _workspace.Load("""
            merge_method: slerp
            base_model: a
            parameters:
              t: [{filter: self_attn, value: 0.3}]
            models: [{model: a}, {model: b}]
            """);

        var error = Assert.Throws<MedleyException>(() => TestWorkspace.Plan(config, _ => TestWorkspace.LlamaTensors(2)));

        Assert.Equal(["parameter 't' resolves to nothing (no filter matches and no entry without a filter) (tensor 'model.embed_tokens.weight' and 6 more)"], error.Details);
    }

    [Fact]
    public void Gpt2_slices_renumber_transformer_h_layers_and_report_n_layer()
    {
        var config = _workspace.Load("""
            merge_method: passthrough
            slices:
              - sources: [{model: gpt-a, layer_range: [0, 3]}]
              - sources: [{model: gpt-b, layer_range: [1, 4]}]
            """);

        var plan = TestWorkspace.Plan(config, _ => TestWorkspace.Gpt2Tensors(4));

        Assert.Equal(6, plan.OutputLayerCount);
        Assert.Equal("n_layer", plan.LayerCountKey);
        Assert.Equal(["transformer.wpe.weight", "transformer.wte.weight"], plan.Tensors.Take(2).Select(t => t.OutputName));
        Assert.Equal(["transformer.ln_f.bias", "transformer.ln_f.weight"], plan.Tensors.TakeLast(2).Select(t => t.OutputName));
        var input = Assert.Single(MergekitExampleTests.Tensor(plan, "transformer.h.3.attn.c_attn.weight").Inputs);
        Assert.Equal(("gpt-b", "transformer.h.1.attn.c_attn.weight"), (input.ModelName, input.TensorName));
        Assert.Equal("gpt-b", Assert.Single(MergekitExampleTests.Tensor(plan, "transformer.ln_f.weight").Inputs).ModelName);
    }

    [Fact]
    public void Bare_h_prefixed_gpt2_names_are_layers_too()
    {
        var config = _workspace.Load("""
            merge_method: passthrough
            slices:
              - sources: [{model: gpt-a, layer_range: [2, 4]}]
              - sources: [{model: gpt-a, layer_range: [0, 1]}]
            """);

        var plan = TestWorkspace.Plan(config, _ => TestWorkspace.Gpt2Tensors(4, root: string.Empty));

        Assert.Equal(3, plan.OutputLayerCount);
        Assert.Equal("h.2.ln_1.weight", Assert.Single(MergekitExampleTests.Tensor(plan, "h.0.ln_1.weight").Inputs).TensorName);
        Assert.Equal("h.0.mlp.c_fc.weight", Assert.Single(MergekitExampleTests.Tensor(plan, "h.2.mlp.c_fc.weight").Inputs).TensorName);
        Assert.Equal(3 * 3, plan.Tensors.Count(t => t.LayerIndex is not null));
    }

    [Theory]
    [InlineData("model.layers.12.self_attn.q_proj.weight", "model.layers.", 12, "self_attn.q_proj.weight")]
    [InlineData("transformer.h.0.attn.c_attn.bias", "transformer.h.", 0, "attn.c_attn.bias")]
    [InlineData("h.7.ln_2.weight", "h.", 7, "ln_2.weight")]
    public void Layer_names_split_into_prefix_index_and_suffix(string name, string prefix, int layer, string suffix)
    {
        Assert.True(LayerTensorName.TryParse(name, out var parsed));
        Assert.Equal(new LayerTensorName(prefix, layer, suffix), parsed);
        Assert.Equal(name, LayerTensorName.Format(prefix, layer, suffix));
    }

    [Theory]
    [InlineData("model.embed_tokens.weight", true, true)]
    [InlineData("transformer.wte.weight", true, true)]
    [InlineData("transformer.wpe.weight", true, false)]
    [InlineData("lm_head.weight", false, true)]
    [InlineData("model.norm.weight", false, false)]
    [InlineData("transformer.ln_f.bias", false, false)]
    public void Non_layer_tensors_are_classified(string name, bool beforeLayers, bool vocabulary)
    {
        Assert.False(LayerTensorName.TryParse(name, out _));
        Assert.Equal(beforeLayers, LayerTensorName.IsBeforeLayers(name));
        Assert.Equal(vocabulary, LayerTensorName.IsVocabularyMatrix(name));
    }
}
