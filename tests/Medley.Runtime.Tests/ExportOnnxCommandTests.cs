using System.Text.Json;
using Medley.Cli;

namespace Medley.Runtime.Tests;

/// <summary><c>medley export-onnx</c> end to end through the CLI, the mediator and the exporter.</summary>
public sealed class ExportOnnxCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Export_writes_a_loadable_model_and_reports_it_as_json()
    {
        var checkpoint = TinyCheckpoint.Llama(seed: 61, kvHeads: 2);
        var source = checkpoint.Write(_temp.Combine("hf"));
        var (exit, stdout, stderr) = await Medley("export-onnx", source, "-o", _temp.Combine("out"), "--dtype", "fp16", "--json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal("llama", json.RootElement.GetProperty("architecture").GetString());
        Assert.Equal("fp16", json.RootElement.GetProperty("dtype").GetString());
        Assert.Equal(checkpoint.Tensors.Values.Sum(t => t.Values.Length), json.RootElement.GetProperty("parameters").GetInt64());
        using var model = ModelFixtures.Load(_temp.Combine("out"));
        var logits = await ModelFixtures.AllAtOnce(model, ModelFixtures.Prompt);
        Assert.True(ModelFixtures.MaxAbsDiff(logits, ReferenceForward.Llama(checkpoint, ModelFixtures.Prompt)) <= 2e-2);
    }

    [Fact]
    public async Task An_existing_output_is_a_user_error_until_forced()
    {
        var source = TinyCheckpoint.Gpt2(seed: 62).Write(_temp.Combine("hf"));
        Directory.CreateDirectory(_temp.Combine("out"));

        var (exit, _, stderr) = await Medley("export-onnx", source, "-o", _temp.Combine("out"));
        Assert.Equal(3, exit);
        Assert.Contains("error onnx.export.output_exists", stderr, StringComparison.Ordinal);

        (exit, var stdout, stderr) = await Medley("export-onnx", source, "-o", _temp.Combine("out"), "--force");
        Assert.True(exit == 0, stderr);
        Assert.Contains("exported gpt2 (2 layers", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_dtype_is_a_usage_error()
    {
        var (exit, _, stderr) = await Medley("export-onnx", _temp.Path, "-o", _temp.Combine("out"), "--dtype", "int4");
        Assert.Equal(2, exit);
        Assert.Contains("int4", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

    private static async Task<(int Exit, string Stdout, string Stderr)> Medley(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await MedleyCli.RunAsync([.. args, "--no-default-plugins"], stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
