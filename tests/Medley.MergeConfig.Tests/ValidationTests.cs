namespace Medley.MergeConfig.Tests;

/// <summary>Every validation problem is named with its YAML path, and all of a config's problems come in one error.</summary>
public sealed class ValidationTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public ValidationTests()
    {
        _workspace.AddLlama("base", 4);
        _workspace.AddLlama("a", 4);
        _workspace.AddLlama("b", 4);
        _workspace.AddLlama("c", 4);
        _workspace.AddLlama("short", 2);
    }

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void All_problems_of_a_ties_config_are_reported_at_once()
    {
        var problems = _workspace.Problems("""
            merge_method: ties
            colour: blue
            dtype: float64
            models:
              - model: a
                weights: 1.0
                parameters:
                  weight: 1.0
              - model: b
                parameters:
                  density: 0.5
              - model: c
                parameters:
                  weight: 0.5
                  density: high
                  lambda: 2
                  densty: 0.3
              - model: missing-folder
                parameters:
                  weight: 1
            parameters:
              normalize: 1
            """);

        var missingFolder = Path.Combine(_workspace.Root, "missing-folder");
        Assert.Equal(
            [
                "colour: unknown key 'colour' (line 2); expected one of: models, slices, modules, merge_method, base_model, parameters, dtype, out_dtype, tokenizer_source, tokenizer, chat_template, name",
                "models[0].weights: unknown key 'weights' (line 6); expected one of: model, parameters",
                $"models[3].model: model folder 'missing-folder' does not exist (looked for '{missingFolder}')",
                "dtype: expected float32, float16 or bfloat16, got \"float64\"",
                "base_model: missing: merge method 'ties' needs a base model (task vectors are taken relative to it)",
                "parameters.normalize: expected true or false, got 1",
                "models[2].parameters.density: expected a number (or a list of numbers), got the string \"high\"",
                "models[2].parameters.lambda: 'lambda' is a global parameter of merge method 'ties'; set it under the top-level or slice parameters, not per model",
                "models[2].parameters.densty: unknown parameter 'densty' for merge method 'ties'; it takes: weight, density, lambda, normalize, int8_mask",
                "models[1].parameters.weight: missing: merge method 'ties' requires 'weight' for model 'b' (set it here, or once under the top-level parameters)",
            ],
            problems);
    }

    [Fact]
    public void The_error_carries_the_stable_code_and_names_the_file()
    {
        var error = Assert.Throws<Medley.Sdk.MedleyException>(() => _workspace.Load("merge_method: linear\nmodels: [{model: a}]\n"));

        Assert.Equal("merge.config.invalid", error.Code);
        Assert.Equal(Medley.Sdk.MedleyErrorKind.InvalidInput, error.Kind);
        Assert.StartsWith($"Merge config '{Path.Combine(_workspace.Root, "merge.yml")}' has 1 problem:", error.Message, StringComparison.Ordinal);
        Assert.Equal(["models[0].parameters.weight: missing: merge method 'linear' requires 'weight' for model 'a' (set it here, or once under the top-level parameters)"], error.Details);
    }

    [Fact]
    public void A_required_per_model_parameter_may_come_from_the_top_level()
    {
        var config = _workspace.Load("merge_method: linear\nmodels: [{model: a}, {model: b}]\nparameters: {weight: 1}\n");

        Assert.Equal(2, config.Slices[0].Sources.Count);
    }

    [Fact]
    public void Unknown_merge_method_lists_the_registered_ones()
    {
        var problems = _workspace.Problems("merge_method: tie\nbase_model: base\nmodels: [{model: a}]\n");

        Assert.Equal(["merge_method: unknown merge method 'tie'; registered methods: della, linear, passthrough, slerp, ties"], problems);
    }

    [Fact]
    public void Model_counts_are_checked_against_the_method()
    {
        Assert.Equal(
            ["models: merge method 'slerp' takes at most 1 model besides the base model, got 2"],
            _workspace.Problems("merge_method: slerp\nbase_model: base\nparameters: {t: 0.5}\nmodels: [{model: base}, {model: a}, {model: b}]\n"));
        Assert.Equal(
            ["models: merge method 'ties' needs at least 1 model besides the base model, got 0"],
            _workspace.Problems("merge_method: ties\nbase_model: base\nmodels: [{model: base}]\n"));
        Assert.Equal(
            ["slices[1].sources: merge method 'passthrough' takes at most 1 model, got 2"],
            _workspace.Problems("""
                merge_method: passthrough
                slices:
                  - sources: [{model: a, layer_range: [0, 2]}]
                  - sources: [{model: a, layer_range: [2, 4]}, {model: b, layer_range: [2, 4]}]
                """));
    }

    [Fact]
    public void Layer_ranges_are_checked_against_each_models_layer_count()
    {
        var problems = _workspace.Problems("""
            merge_method: slerp
            base_model: a
            parameters: {t: 0.5}
            slices:
              - sources:
                  - {model: a, layer_range: [0, 4]}
                  - {model: short, layer_range: [0, 4]}
              - sources:
                  - {model: a, layer_range: [3, 2]}
                  - {model: b, layer_range: zero to two}
              - sources:
                  - {model: b, layer_range: [0, 1]}
                  - {model: c, layer_range: [0, 1]}
            """);

        Assert.Equal(
            [
                "slices[1].sources[1].layer_range: expected [first, end) as two whole numbers, e.g. [0, 24], got the string \"zero to two\"",
                "slices[0].sources[1].layer_range: [0, 4] is not a layer range of 'short', which has 2 layers; expected [first, end) with 0 <= first < end <= 2",
                "slices[1].sources[0].layer_range: [3, 2] is not a layer range of 'a', which has 4 layers; expected [first, end) with 0 <= first < end <= 4",
                "slices[2].sources: the base model 'a' is not among the slice's sources; add it as a source with a layer range of the same length",
                "slices[2].sources: merge method 'slerp' takes at most 1 model besides the base model, got 2",
            ],
            problems);
    }

    [Fact]
    public void Sources_of_a_slice_must_span_equal_numbers_of_layers()
    {
        var problems = _workspace.Problems("""
            merge_method: slerp
            base_model: a
            parameters: {t: 0.5}
            slices:
              - sources:
                  - {model: a, layer_range: [0, 4]}
                  - {model: b, layer_range: [0, 3]}
            """);

        Assert.Equal(["slices[0].sources: the sources span different numbers of layers ('a' [0, 4]: 4, 'b' [0, 3]: 3); every source of a slice must give the same number of layers"], problems);
    }

    [Fact]
    public void Models_of_different_depth_cannot_be_merged_whole()
    {
        Assert.Equal(
            ["models: the models have different layer counts ('a': 4, 'short': 2, 'base': 4); merge models of one shape, or pick equal layer ranges with 'slices'"],
            _workspace.Problems("merge_method: ties\nbase_model: base\nparameters: {weight: 1}\nmodels: [{model: a}, {model: short}]\n"));
    }

    [Fact]
    public void Hub_names_revisions_and_lora_references_say_what_to_do()
    {
        var problems = _workspace.Problems("""
            merge_method: linear
            parameters: {weight: 1}
            models:
              - model: meta-llama/Llama-3.2-1B
              - model: a@main
              - model: a+loras/my-adapter
            """);

        Assert.Equal(
            [
                "models[0].model: Medley does not download models: 'meta-llama/Llama-3.2-1B' is not a local folder; download it first (for example `huggingface-cli download meta-llama/Llama-3.2-1B --local-dir DIR`) and name that folder, absolute or relative to the config file",
                "models[1].model: 'a@main' names a revision; revisions are not supported yet: Medley does not download models, name a local folder holding that revision",
                "models[2].model: 'a+loras/my-adapter' names a LoRA adapter ('loras/my-adapter'); LoRA adapters are not supported yet: merge the adapter into its model first and name that folder",
            ],
            problems);
    }

    [Fact]
    public void An_org_name_path_that_exists_locally_is_a_folder()
    {
        _workspace.AddLlama("org/name", 4);

        var config = _workspace.Load("merge_method: linear\nparameters: {weight: 1}\nmodels: [{model: org/name}, {model: a}]\n");

        Assert.Equal(Path.Combine(_workspace.Root, "org", "name"), config.Config.Models![0].Model.Folder);
    }

    [Fact]
    public void Unsupported_tokenizer_and_module_features_are_named()
    {
        var problems = _workspace.Problems("""
            merge_method: linear
            tokenizer_source: union
            tokenizer:
              source: union
            modules:
              text: {models: [{model: a}]}
            """);

        Assert.Equal(
            [
                "modules: 'modules' (multi-module merges) is not supported yet; use 'models' or 'slices'",
                "tokenizer: the 'tokenizer' block is not supported yet; use 'tokenizer_source: base' or 'tokenizer_source: <model>'",
                "tokenizer_source: 'union' (building a union vocabulary) is not supported yet; use 'base' or the name of one of the models",
            ],
            problems);
    }

    [Fact]
    public void Tokenizer_source_must_name_base_or_a_model_of_the_config()
    {
        Assert.Equal(
            ["tokenizer_source: 'c' is neither 'base' nor a model named in the config ('a', 'b')"],
            _workspace.Problems("merge_method: linear\nparameters: {weight: 1}\ntokenizer_source: c\nmodels: [{model: a}, {model: b}]\n"));
        Assert.Equal("b", _workspace.Load("merge_method: linear\nparameters: {weight: 1}\ntokenizer_source: b\nmodels: [{model: a}, {model: b}]\n").Config.TokenizerSource);
    }

    [Fact]
    public void Models_and_slices_are_exclusive_and_one_is_needed()
    {
        Assert.Equal(
            ["expected 'models' (models to merge) or 'slices' (output layer slices); the config has neither"],
            _workspace.Problems("merge_method: linear\n"));
        Assert.Equal(
            ["give either 'models' or 'slices', not both"],
            _workspace.Problems("merge_method: passthrough\nmodels: [{model: a}]\nslices: [{sources: [{model: a, layer_range: [0, 4]}]}]\n"));
    }

    [Fact]
    public void Yaml_syntax_errors_give_line_and_column()
    {
        var problem = Assert.Single(_workspace.Problems("merge_method: linear\nmodels:\n  - model: [a\n"));

        Assert.StartsWith("YAML syntax error at line ", problem, StringComparison.Ordinal);
        Assert.Matches(@"^YAML syntax error at line [34], column \d+: .+", problem);
    }

    [Fact]
    public void Malformed_parameter_values_are_named_and_not_also_called_missing()
    {
        var problems = _workspace.Problems("""
            merge_method: ties
            base_model: base
            models:
              - model: a
                parameters:
                  weight: [1, high]
                  density: []
              - model: b
                parameters:
                  weight:
                    - filter: mlp
                      valeu: 1
                  density: [{filter: mlp, value: [{filter: x, value: 1}]}]
            """);

        Assert.Equal(
            [
                "models[0].parameters.weight: a list mixes numbers with other values; a gradient holds numbers only",
                "models[0].parameters.density: expected a value, a list of numbers (gradient) or a list of {filter, value} entries, got an empty list",
                "models[1].parameters.weight[0].valeu: unknown key 'valeu' (line 12); expected one of: filter, value",
                "models[1].parameters.weight[0].value: missing: a filter entry needs a value",
                "models[1].parameters.density[0].value: expected a value or a list of numbers (gradient), got a list",
            ],
            problems);
    }

    [Fact]
    public void Layer_count_reader_problems_name_the_model()
    {
        _workspace.AddModel("no-config", configJson: null);
        _workspace.AddModel("no-layers", """{"hidden_size": 8}""");

        var problems = _workspace.Problems("merge_method: linear\nparameters: {weight: 1}\nmodels: [{model: no-config}, {model: no-layers}]\n");

        Assert.Equal(
            [
                $"models[0].model: cannot read the layer count of 'no-config': Model folder '{Path.Combine(_workspace.Root, "no-config")}' has no config.json; Medley reads the layer count from it.",
                $"models[1].model: cannot read the layer count of 'no-layers': '{Path.Combine(_workspace.Root, "no-layers", "config.json")}' has neither 'num_hidden_layers' nor 'n_layer'; Medley needs the layer count.",
            ],
            problems);
    }
}
