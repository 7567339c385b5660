using System.Text.Json;
using Medley.Host.Onnx.Export;
using Medley.Sdk.Models;
using Xunit.Abstractions;

namespace Medley.Runtime.Tests;

/// <summary>
/// Exported models agree with logits computed by transformers 5.17 itself (float64) on checkpoints it saved:
/// Fixtures/make_hf_fixtures.py wrote them. This checks the config conventions (rope_parameters, layer_types,
/// tied heads, prefixes) and the modelling details against the real code rather than against our reading of it.
/// </summary>
public sealed class TransformersAgreementTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases => ["hf-gpt2", "hf-llama-gqa-llama3-rope", "hf-mistral", "hf-qwen2"];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Logits_match_transformers(string name)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        using var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(source, "reference_logits.json")));
        var prompt = reference.RootElement.GetProperty("prompt").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var expected = reference.RootElement.GetProperty("logits").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        using var temp = new TempFolder();
        var result = OnnxExporter.Export(source, temp.Combine("onnx"));
        Assert.Contains("generation_config.json", result.CopiedFiles);
        using var model = ModelFixtures.Load(result.OutputFolder);

        var whole = ModelFixtures.MaxAbsDiff(await ModelFixtures.AllAtOnce(model, prompt), expected);
        using var session = model.CreateSession();
        var stepwise = ModelFixtures.MaxAbsDiff(await ModelFixtures.OneByOne(session, prompt), expected);

        output.WriteLine($"{name}: whole {whole:E2}, token by token {stepwise:E2}");
        Assert.True(whole <= 1e-4, $"{name}: whole-prompt max abs diff {whole}");
        Assert.True(stepwise <= 1e-4, $"{name}: token-by-token max abs diff {stepwise}");
    }
}
