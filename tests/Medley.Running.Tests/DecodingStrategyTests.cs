using System.Text.Json.Nodes;

namespace Medley.Running.Tests;

/// <summary>
/// The host's limits on a decoding strategy (which owns its loop), with the test strategy test_chunked_greedy: one
/// model's greedy tokens emitted two at a time.
/// </summary>
public sealed class DecodingStrategyTests : IClassFixture<CharacterModels>
{
    private readonly CharacterModels _models;

    public DecodingStrategyTests(CharacterModels models) => _models = models;

    [Fact]
    public async Task Max_tokens_cuts_an_event_in_half_and_the_text_is_the_models_own()
    {
        // Five tokens from pairs: the third pair is cut to its first token.
        var run = await Run("sampling: { temperature: 0, max_tokens: 5 }");
        var expected = await Generate(5);

        Assert.Equal(expected["text"]!.GetValue<string>(), run["text"]!.GetValue<string>());
        var statistics = run["statistics"]!;
        Assert.Equal("decoding", statistics["kind"]!.GetValue<string>());
        Assert.Equal(5, statistics["generatedTokens"]!.GetValue<int>());
        Assert.Equal("max-tokens", statistics["stopReason"]!.GetValue<string>());
        Assert.Equal(3, statistics["counters"]!["chunks"]!.GetValue<double>());
        // The prefill and one pass per token after the first, up to the third pair (the strategy is then stopped).
        Assert.Equal(6, statistics["members"]![0]!["forwardCalls"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_stop_string_across_events_ends_the_text_before_it()
    {
        var full = (await Generate(12))["text"]!.GetValue<string>();
        var stop = full.Substring(3, 2);
        var run = await Run($"sampling: {{ temperature: 0, max_tokens: 12, stop: \"{stop}\" }}");

        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], run["text"]!.GetValue<string>());
        Assert.Equal("stop-string", run["statistics"]!["stopReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Several_models_for_its_single_role_are_refused_before_loading()
    {
        var path = Write($$"""
            strategy: test_chunked_greedy
            models: { model: [{{_models.First}}, {{_models.Second}}] }
            """);
        var (code, _, stderr) = await Cli.Medley("run", path, "--prompt", "hello");

        Assert.Equal(3, code);
        Assert.Contains("models.model: strategy 'test_chunked_greedy' takes one model for role 'model', but 2 are given", stderr, StringComparison.Ordinal);
    }

    private async Task<JsonNode> Run(string sampling)
    {
        var path = Write($$"""
            strategy: test_chunked_greedy
            models: { model: {{_models.First}} }
            {{sampling}}
            """);
        var (code, stdout, stderr) = await Cli.Medley("run", path, "--prompt", "hello", "--json");
        Assert.True(code == 0, stderr + stdout);
        return JsonNode.Parse(stdout)!;
    }

    private async Task<JsonNode> Generate(int tokens)
    {
        var (code, stdout, stderr) = await Cli.Medley("generate", "--model", _models.First, "--prompt", "hello", "--temperature", "0", "--max-tokens", tokens.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
        Assert.True(code == 0, stderr);
        return JsonNode.Parse(stdout)!;
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_models.Temp.Path, $"run-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
