using Medley.Host.Hosting;
using Medley.Host.Merging.Engine;
using Medley.Host.Requests;
using Medley.Sdk;

namespace Medley.Merging.EndToEnd.Tests;

/// <summary>Every user mistake gets its own message (naming the tensor, model, file or field) and exit code 3, and leaves nothing behind.</summary>
public sealed class BadMergeInputTests : IDisposable
{
    private readonly Workspace _ws = new();

    public BadMergeInputTests()
    {
        TinyCheckpoint.Llama(_ws.PathOf("base"), 1);
        TinyCheckpoint.Llama(_ws.PathOf("a"), 2);
    }

    public void Dispose() => _ws.Dispose();

    [Fact]
    public async Task Shape_mismatch_names_the_tensor_and_the_models()
    {
        TinyCheckpoint.Llama(_ws.PathOf("wide"), 3, intermediate: 32);
        var error = await Refused(TaskArithmetic("./wide"));
        Assert.Contains("merge.plan.invalid", error, StringComparison.Ordinal);
        Assert.Contains("shapes differ: './base' [16, 24], './wide' [16, 32] (tensor 'model.layers.0.mlp.down_proj.weight')", error, StringComparison.Ordinal);
        Assert.Contains("shapes differ: './base' [24, 16], './wide' [32, 16] (tensor 'model.layers.3.mlp.up_proj.weight')", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_tensor_names_the_tensor_and_the_model()
    {
        TinyCheckpoint.Llama(_ws.PathOf("partial"), 3, omit: "model.norm.weight");
        var error = await Refused(TaskArithmetic("./partial"));
        Assert.Contains("merge.plan.invalid", error, StringComparison.Ordinal);
        Assert.Contains("'model.norm.weight'", error, StringComparison.Ordinal);
        Assert.Contains("'./partial'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Layer_range_out_of_range()
    {
        var error = await Refused("""
            slices:
              - sources:
                  - model: ./a
                    layer_range: [0, 9]
            merge_method: passthrough
            """);
        Assert.Contains("slices[0].sources[0].layer_range: [0, 9] is not a layer range of './a', which has 4 layers; expected [first, end) with 0 <= first < end <= 4", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slices_of_unequal_length()
    {
        var error = await Refused("""
            slices:
              - sources:
                  - model: ./a
                    layer_range: [0, 2]
                  - model: ./base
                    layer_range: [0, 3]
            merge_method: slerp
            base_model: ./base
            parameters: { t: 0.5 }
            """);
        Assert.Contains("slices[0].sources: the sources span different numbers of layers ('./a' [0, 2]: 2, './base' [0, 3]: 3); every source of a slice must give the same number of layers", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_safetensors_names_the_file()
    {
        var file = _ws.PathOf("a/model.safetensors");
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(bytes.Length - 100)]);
        var error = await Refused(TaskArithmetic("./a"));
        Assert.Contains("model.safetensors", error, StringComparison.Ordinal);
        Assert.Contains("error tensors.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Corrupt_safetensors_header_names_the_file()
    {
        var file = _ws.PathOf("a/model.safetensors");
        var bytes = File.ReadAllBytes(file);
        bytes[10] = (byte)'#';
        File.WriteAllBytes(file, bytes);
        var error = await Refused(TaskArithmetic("./a"));
        Assert.Contains($"{_ws.PathOf("a/model.safetensors")}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_dtype_strings_are_listed_together()
    {
        var error = await Refused(TaskArithmetic("./a") + "\ndtype: float8\nout_dtype: int4\n");
        Assert.Contains("dtype: expected float32, float16 or bfloat16, got \"float8\"", error, StringComparison.Ordinal);
        Assert.Contains("out_dtype: expected float32, float16 or bfloat16, got \"int4\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_dtype_on_the_command_line_is_a_usage_error()
    {
        var run = await Medley.RunAsync("merge", _ws.WriteConfig(TaskArithmetic("./a")), "-o", _ws.PathOf("out"), "--dtype", "half-ish");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--dtype 'half-ish' is not a supported dtype; expected one of float32, float16, bfloat16, fp32, fp16, bf16.", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_ws.PathOf("out")));
    }

    [Theory]
    [InlineData("-0.25", "models[0].parameters.density: -0.25 is below the minimum 0")]
    [InlineData("1.5", "models[0].parameters.density: 1.5 is above the maximum 1")]
    public async Task Density_outside_zero_to_one(string density, string expected)
    {
        var error = await Refused($"""
            merge_method: ties
            base_model: ./base
            models:
              - model: ./a
                parameters: {"{"} weight: 1.0, density: {density} {"}"}
            """);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_keys_and_unknown_method_are_all_reported_before_any_tensor_is_read()
    {
        var error = await Refused("""
            merge_method: tiez
            base_model: ./base
            models:
              - model: ./a
                paramters: { weight: 1 }
            colour: blue
            """);
        Assert.Contains("merge_method: unknown merge method 'tiez'; registered methods: arcee_fusion, breadcrumbs", error, StringComparison.Ordinal);
        Assert.Contains("colour", error, StringComparison.Ordinal);
        Assert.Contains("paramters", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hub_name_that_is_not_a_folder_is_refused_with_advice()
    {
        var error = await Refused(TaskArithmetic("mistralai/Mistral-7B-v0.1"));
        Assert.Contains("Medley does not download models: 'mistralai/Mistral-7B-v0.1' is not a local folder", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_output_folder_is_refused_without_force_and_left_untouched()
    {
        Directory.CreateDirectory(_ws.PathOf("out"));
        File.WriteAllText(_ws.PathOf("out/keep.txt"), "mine");
        var config = _ws.WriteConfig(TaskArithmetic("./a"));

        var run = await Medley.RunAsync("merge", config, "-o", _ws.PathOf("out"));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"error merge.output.exists: Output folder '{_ws.PathOf("out")}' already exists and is not empty; choose another -o folder or pass --force to replace it.", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(_ws.PathOf("out/keep.txt")));

        var forced = await Medley.RunAsync("merge", config, "-o", _ws.PathOf("out"), "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.False(File.Exists(_ws.PathOf("out/keep.txt")));
        Assert.True(File.Exists(_ws.PathOf("out/model.safetensors")));
    }

    [Fact]
    public async Task Cancelling_mid_merge_leaves_nothing_behind()
    {
        var config = _ws.WriteConfig(TaskArithmetic("./a"));
        using var cancel = new CancellationTokenSource();
        await using var host = MedleyHost.CreateDefault();
        var request = new MergeModels(config, new MergeRunOptions { OutputFolder = _ws.PathOf("out"), Threads = 1 })
        {
            Progress = new CancelOnFirstReport(cancel),
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await host.Mediator.Send(request, cancel.Token));

        Assert.False(Directory.Exists(_ws.PathOf("out")));
        Assert.Equal(["a", "base", "merge.yml"], Directory.EnumerateFileSystemEntries(_ws.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static string TaskArithmetic(string model) => $"""
        merge_method: task_arithmetic
        base_model: ./base
        models:
          - model: {model}
            parameters: {"{"} weight: 1.0 {"}"}
        """;

    private async Task<string> Refused(string yaml)
    {
        var run = await Medley.RunAsync("merge", _ws.WriteConfig(yaml), "-o", _ws.PathOf("out"));
        Assert.True(run.ExitCode == 3, $"expected exit code 3, got {run.ExitCode}: {run.Stdout}{run.Stderr}");
        Assert.False(Directory.Exists(_ws.PathOf("out")), "nothing may be written for a refused merge");
        return run.Stderr;
    }

    /// <summary>Cancels synchronously on the first progress report, as Ctrl+C would mid-merge.</summary>
    private sealed class CancelOnFirstReport(CancellationTokenSource source) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value) => source.Cancel();
    }
}
