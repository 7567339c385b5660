using Medley.Host.Merging.Planning;

namespace Medley.MergeConfig.Tests;

/// <summary>mergekit's example configs (ties.yml, gradient-slerp.yml, orcamini-platy-44layer.yml), read verbatim with
/// local folders named like the hub ids, and resolved values checked for chosen tensors by hand.</summary>
public sealed class MergekitExampleTests : IDisposable
{
    private const double Tolerance = 1e-12;

    private const string TiesYaml = """
        models:
          - model: psmathur/orca_mini_v3_13b
            parameters:
              density: [1, 0.7, 0.1] # density gradient
              weight: 1.0
          - model: garage-bAInd/Platypus2-13B
            parameters:
              density: 0.5
              weight: [0, 0.3, 0.7, 1] # weight gradient
          - model: WizardLM/WizardMath-13B-V1.0
            parameters:
              density: 0.33
              weight:
                - filter: mlp
                  value: 0.5
                - value: 0
        merge_method: ties
        base_model: TheBloke/Llama-2-13B-fp16
        parameters:
          normalize: true
          int8_mask: true
        dtype: float16
        """;

    private const string GradientSlerpYaml = """
        slices:
          - sources:
              - model: psmathur/orca_mini_v3_13b
                layer_range: [0, 40]
              - model: garage-bAInd/Platypus2-13B
                layer_range: [0, 40]
        merge_method: slerp
        base_model: psmathur/orca_mini_v3_13b
        parameters:
          t:
            - filter: self_attn
              value: [0, 0.5, 0.3, 0.7, 1]
            - filter: mlp
              value: [1, 0.5, 0.7, 0.3, 0]
            - value: 0.5 # fallback for rest of tensors
        dtype: float16
        """;

    private const string PassthroughYaml = """
        slices:
          - sources:
              - model: psmathur/orca_mini_v3_13b
                layer_range: [0, 24]
          - sources:
              - model: garage-bAInd/Platypus2-13B
                layer_range: [20, 40]
        merge_method: passthrough
        dtype: float16
        """;

    private readonly TestWorkspace _workspace = new();

    public MergekitExampleTests()
    {
        foreach (var name in new[] { "psmathur/orca_mini_v3_13b", "garage-bAInd/Platypus2-13B", "WizardLM/WizardMath-13B-V1.0", "TheBloke/Llama-2-13B-fp16" })
        {
            _workspace.AddLlama(name, 40);
        }
    }

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void Ties_example_resolves_gradients_and_filters_per_layer()
    {
        var config = _workspace.Load(TiesYaml);
        var plan = TestWorkspace.Plan(config, _ => TestWorkspace.LlamaTensors(40));

        Assert.Equal(40, plan.OutputLayerCount);
        Assert.Equal("num_hidden_layers", plan.LayerCountKey);
        Assert.Equal(3 + (40 * 3), plan.Tensors.Count);

        var q10 = Tensor(plan, "model.layers.10.self_attn.q_proj.weight");
        Assert.Equal("TheBloke/Llama-2-13B-fp16", q10.Base!.ModelName);
        Assert.Equal(["psmathur/orca_mini_v3_13b", "garage-bAInd/Platypus2-13B", "WizardLM/WizardMath-13B-V1.0"], q10.Inputs.Select(i => i.ModelName));
        Assert.Equal(10, q10.LayerIndex);
        Assert.Equal(10.0 / 39, q10.LayerPosition, Tolerance);

        // density [1, 0.7, 0.1] at t = 10/39: p = 20/39, between anchors 0 and 1: 1 − 0.3·20/39 = 33/39.
        Assert.Equal(33.0 / 39, q10.Inputs[0].Parameters.GetDouble("density", double.NaN), Tolerance);
        Assert.Equal(1.0, q10.Inputs[0].Parameters.GetDouble("weight", double.NaN));

        // weight [0, 0.3, 0.7, 1] at t = 10/39: p = 30/39, 0.3·30/39 = 9/39.
        Assert.Equal(9.0 / 39, q10.Inputs[1].Parameters.GetDouble("weight", double.NaN), Tolerance);
        Assert.Equal(0.5, q10.Inputs[1].Parameters.GetDouble("density", double.NaN));

        // filter 'mlp' does not match q_proj: the entry without a filter gives 0.
        Assert.Equal(0.0, q10.Inputs[2].Parameters.GetDouble("weight", double.NaN));
        Assert.Equal(0.33, q10.Inputs[2].Parameters.GetDouble("density", double.NaN));

        // Global parameters carry only the method's global names.
        Assert.True(q10.Parameters.GetBoolean("normalize", false));
        Assert.True(q10.Parameters.GetBoolean("int8_mask", false));
        Assert.Equal(["int8_mask", "normalize"], q10.Parameters.Names.Order(StringComparer.Ordinal));

        var up20 = Tensor(plan, "model.layers.20.mlp.up_proj.weight");
        // weight at t = 20/39: p = 60/39, anchors 1 and 2, fraction 21/39: 0.3·18/39 + 0.7·21/39 = 20.1/39.
        Assert.Equal(20.1 / 39, up20.Inputs[1].Parameters.GetDouble("weight", double.NaN), Tolerance);
        Assert.Equal(0.5, up20.Inputs[2].Parameters.GetDouble("weight", double.NaN));

        // Layer 13 sits exactly on anchor 1 of the weight gradient.
        Assert.Equal(0.3, Tensor(plan, "model.layers.13.input_layernorm.weight").Inputs[1].Parameters.GetDouble("weight", double.NaN), Tolerance);

        // Embeddings use t = 0 (first anchors); final norm and lm_head t = 1 (last anchors), as mergekit.
        var embed = Tensor(plan, "model.embed_tokens.weight");
        Assert.Null(embed.LayerIndex);
        Assert.Equal(1.0, embed.Inputs[0].Parameters.GetDouble("density", double.NaN));
        Assert.Equal(0.0, embed.Inputs[1].Parameters.GetDouble("weight", double.NaN));
        var head = Tensor(plan, "lm_head.weight");
        Assert.Equal(0.1, head.Inputs[0].Parameters.GetDouble("density", double.NaN), Tolerance);
        Assert.Equal(1.0, head.Inputs[1].Parameters.GetDouble("weight", double.NaN), Tolerance);
        Assert.Equal(0.0, head.Inputs[2].Parameters.GetDouble("weight", double.NaN));
    }

    [Fact]
    public void Tensors_are_ordered_embeddings_then_layers_then_final_norm_and_head()
    {
        var plan = TestWorkspace.Plan(_workspace.Load(TiesYaml), _ => TestWorkspace.LlamaTensors(40));

        Assert.Equal("model.embed_tokens.weight", plan.Tensors[0].OutputName);
        Assert.Equal(
            ["model.layers.0.input_layernorm.weight", "model.layers.0.mlp.up_proj.weight", "model.layers.0.self_attn.q_proj.weight"],
            plan.Tensors.Skip(1).Take(3).Select(t => t.OutputName));
        Assert.Equal(["lm_head.weight", "model.norm.weight"], plan.Tensors.TakeLast(2).Select(t => t.OutputName));
        Assert.Equal(Enumerable.Range(0, 40), plan.Tensors.Where(t => t.LayerIndex is not null).Select(t => t.LayerIndex!.Value).Distinct());
    }

    [Fact]
    public void Gradient_slerp_example_interpolates_t_per_filter()
    {
        var plan = TestWorkspace.Plan(_workspace.Load(GradientSlerpYaml), _ => TestWorkspace.LlamaTensors(40));

        var q10 = Tensor(plan, "model.layers.10.self_attn.q_proj.weight");
        Assert.Equal("psmathur/orca_mini_v3_13b", q10.Base!.ModelName);
        Assert.Equal("garage-bAInd/Platypus2-13B", Assert.Single(q10.Inputs).ModelName);

        // t = 10/39 over 5 anchors: p = 40/39, anchors 1 and 2, fraction 1/39.
        Assert.Equal(((0.5 * 38) + 0.3) / 39, q10.Parameters.GetDouble("t", double.NaN), Tolerance);
        Assert.Equal(((0.5 * 38) + 0.7) / 39, Tensor(plan, "model.layers.10.mlp.up_proj.weight").Parameters.GetDouble("t", double.NaN), Tolerance);
        Assert.Equal(0.5, Tensor(plan, "model.layers.10.input_layernorm.weight").Parameters.GetDouble("t", double.NaN));

        // Ends of the slice hit the first and last anchors.
        Assert.Equal(0.0, Tensor(plan, "model.layers.0.self_attn.q_proj.weight").Parameters.GetDouble("t", double.NaN));
        Assert.Equal(1.0, Tensor(plan, "model.layers.39.self_attn.q_proj.weight").Parameters.GetDouble("t", double.NaN), Tolerance);
        Assert.Equal(0.0, Tensor(plan, "model.layers.39.mlp.up_proj.weight").Parameters.GetDouble("t", double.NaN), Tolerance);

        Assert.Equal(0.5, Tensor(plan, "model.embed_tokens.weight").Parameters.GetDouble("t", double.NaN));
    }

    [Fact]
    public void Passthrough_frankenmerge_stacks_44_layers_and_renumbers_them()
    {
        var config = _workspace.Load(PassthroughYaml);
        var plan = TestWorkspace.Plan(config, _ => TestWorkspace.LlamaTensors(40));

        Assert.Equal(44, plan.OutputLayerCount);
        Assert.Equal(44, config.OutputLayerCount);
        Assert.Equal("num_hidden_layers", plan.LayerCountKey);
        Assert.Equal(3 + (44 * 3), plan.Tensors.Count);

        AssertSource(plan, "model.layers.0.self_attn.q_proj.weight", "psmathur/orca_mini_v3_13b", "model.layers.0.self_attn.q_proj.weight");
        AssertSource(plan, "model.layers.23.mlp.up_proj.weight", "psmathur/orca_mini_v3_13b", "model.layers.23.mlp.up_proj.weight");
        AssertSource(plan, "model.layers.24.self_attn.q_proj.weight", "garage-bAInd/Platypus2-13B", "model.layers.20.self_attn.q_proj.weight");
        AssertSource(plan, "model.layers.43.input_layernorm.weight", "garage-bAInd/Platypus2-13B", "model.layers.39.input_layernorm.weight");

        // Embeddings from the first slice's sources, final norm and head from the last slice's (mergekit).
        AssertSource(plan, "model.embed_tokens.weight", "psmathur/orca_mini_v3_13b", "model.embed_tokens.weight");
        AssertSource(plan, "model.norm.weight", "garage-bAInd/Platypus2-13B", "model.norm.weight");
        AssertSource(plan, "lm_head.weight", "garage-bAInd/Platypus2-13B", "lm_head.weight");

        var layer24 = Tensor(plan, "model.layers.24.self_attn.q_proj.weight");
        Assert.Null(layer24.Base);
        Assert.Equal(24, layer24.LayerIndex);
        Assert.Equal(0.0, layer24.LayerPosition); // first layer of the second slice
        Assert.Equal(1.0, Tensor(plan, "model.layers.23.self_attn.q_proj.weight").LayerPosition);
    }

    internal static PlannedTensor Tensor(TensorPlan plan, string name) => Assert.Single(plan.Tensors, t => t.OutputName == name);

    private static void AssertSource(TensorPlan plan, string outputName, string model, string sourceTensor)
    {
        var input = Assert.Single(Tensor(plan, outputName).Inputs);
        Assert.Equal(model, input.ModelName);
        Assert.Equal(sourceTensor, input.TensorName);
    }
}
