namespace Medley.MergeConfig.Tests;

/// <summary>Parameter precedence: slice source > slice > top level, with filters that match nothing falling through.</summary>
public sealed class PrecedenceTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public PrecedenceTests()
    {
        _workspace.AddLlama("base", 3);
        _workspace.AddLlama("a", 3);
        _workspace.AddLlama("b", 3);
    }

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void Source_parameters_beat_slice_parameters_which_beat_top_level_ones()
    {
        var config = _workspace.Load("""
            merge_method: ties
            base_model: base
            parameters:
              weight: 0.1
              density: 0.9
              lambda: 3
            slices:
              - sources:
                  - model: base
                    layer_range: [0, 3]
                  - model: a
                    layer_range: [0, 3]
                    parameters:
                      weight: 0.7
                      density:
                        - filter: mlp
                          value: 0.2
                  - model: b
                    layer_range: [0, 3]
                parameters:
                  weight: 0.4
                  lambda: 2
            """);
        var plan = TestWorkspace.Plan(config, _ => TestWorkspace.LlamaTensors(3));

        var q = MergekitExampleTests.Tensor(plan, "model.layers.1.self_attn.q_proj.weight");
        var a = q.Inputs.Single(i => i.ModelName == "a").Parameters;
        var b = q.Inputs.Single(i => i.ModelName == "b").Parameters;
        Assert.Equal(0.7, a.GetDouble("weight", double.NaN));      // source level
        Assert.Equal(0.4, b.GetDouble("weight", double.NaN));      // slice level
        Assert.Equal(0.9, a.GetDouble("density", double.NaN));     // source filter misses q_proj: top level
        Assert.Equal(2, q.Parameters.GetDouble("lambda", double.NaN)); // slice beats top for globals

        var up = MergekitExampleTests.Tensor(plan, "model.layers.1.mlp.up_proj.weight");
        Assert.Equal(0.2, up.Inputs.Single(i => i.ModelName == "a").Parameters.GetDouble("density", double.NaN));
        Assert.Equal(0.9, up.Inputs.Single(i => i.ModelName == "b").Parameters.GetDouble("density", double.NaN));

        // The base gets per-model parameters too (resolved, never required).
        Assert.Equal(0.4, q.Base!.Parameters.GetDouble("weight", double.NaN));
    }

    [Fact]
    public void Parameters_given_nowhere_are_left_to_the_method_default()
    {
        var config = _workspace.Load("merge_method: ties\nbase_model: base\nmodels: [{model: a, parameters: {weight: 1}}]\n");
        var plan = TestWorkspace.Plan(config, _ => TestWorkspace.LlamaTensors(3));

        var q = MergekitExampleTests.Tensor(plan, "model.layers.0.self_attn.q_proj.weight");
        Assert.Empty(q.Parameters.Names);
        Assert.Equal(["weight"], q.Inputs[0].Parameters.Names);
        Assert.Equal("base", q.Base!.ModelName);
    }

    [Fact]
    public void A_base_outside_the_models_list_is_appended_and_used_as_base()
    {
        var config = _workspace.Load("merge_method: ties\nbase_model: base\nparameters: {weight: 1}\nmodels: [{model: a}, {model: b}]\n");

        Assert.Equal(["a", "b", "base"], config.Slices[0].Sources.Select(s => s.Model.Name));
        var q = MergekitExampleTests.Tensor(TestWorkspace.Plan(config, _ => TestWorkspace.LlamaTensors(3)), "model.layers.2.mlp.up_proj.weight");
        Assert.Equal(["a", "b"], q.Inputs.Select(i => i.ModelName));
        Assert.Equal("base", q.Base!.ModelName);
    }

    [Fact]
    public void A_method_without_base_merges_the_base_model_as_an_ordinary_input()
    {
        var config = _workspace.Load("merge_method: linear\nbase_model: base\nparameters: {weight: 1}\nmodels: [{model: a}, {model: b}]\n");
        var q = MergekitExampleTests.Tensor(TestWorkspace.Plan(config, _ => TestWorkspace.LlamaTensors(3)), "model.norm.weight");

        Assert.Null(q.Base);
        Assert.Equal(["a", "b", "base"], q.Inputs.Select(i => i.ModelName));
    }

    [Fact]
    public void A_one_layer_slice_uses_t_equal_to_one()
    {
        var config = _workspace.Load("""
            merge_method: slerp
            base_model: a
            parameters: {t: [0, 1]}
            slices:
              - sources: [{model: a, layer_range: [0, 1]}, {model: b, layer_range: [0, 1]}]
            """);
        var plan = TestWorkspace.Plan(config, _ => TestWorkspace.LlamaTensors(3));

        Assert.Equal(1, plan.OutputLayerCount);
        Assert.Equal(1.0, MergekitExampleTests.Tensor(plan, "model.layers.0.mlp.up_proj.weight").Parameters.GetDouble("t", double.NaN));
        Assert.Equal(0.0, MergekitExampleTests.Tensor(plan, "model.embed_tokens.weight").Parameters.GetDouble("t", double.NaN));
    }
}
