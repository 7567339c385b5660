using System.Text.Json.Nodes;
using Medley.Host.Hosting;
using Medley.Host.Requests;
using Medley.Host.Running;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medley.Running.Tests;

/// <summary><c>medley run</c> end to end: run configs on exported tiny models, through the CLI and the bundled logit-average plugin.</summary>
public sealed class RunCommandTests : IClassFixture<CharacterModels>
{
    private readonly CharacterModels _models;

    public RunCommandTests(CharacterModels models) => _models = models;

    [Theory]
    [InlineData("mixture", "0")]
    [InlineData("product", "0")]
    [InlineData("mixture", "1.3")]
    public async Task Logit_average_of_one_model_produces_the_tokens_generate_produces(string mode, string temperature)
    {
        var run = await Run($$"""
            strategy: logit-average
            models: { member: {{_models.First}} }
            parameters: { mode: {{mode}} }
            sampling: { temperature: {{temperature}}, seed: 7, max_tokens: 20 }
            """, "hello");
        var generate = await Cli.Medley("generate", "--model", _models.First, "--prompt", "hello", "--temperature", temperature, "--seed", "7", "--max-tokens", "20", "--json");

        Assert.True(generate.Code == 0, generate.Stderr);
        var expected = JsonNode.Parse(generate.Stdout)!;
        Assert.Equal(expected["text"]!.GetValue<string>(), run["text"]!.GetValue<string>());
        Assert.Equal(expected["statistics"]!["generatedTokens"]!.GetValue<int>(), run["statistics"]!["generatedTokens"]!.GetValue<int>());
        Assert.Equal(expected["statistics"]!["stopReason"]!.GetValue<string>(), run["statistics"]!["stopReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Logit_average_of_two_copies_of_one_model_is_that_model()
    {
        var run = await Run($$"""
            strategy: logit-average
            models:
              member:
                - { path: {{_models.First}}, name: one }
                - { path: {{_models.First}}, name: two, weight: 3 }
            sampling: { temperature: 0, max_tokens: 15 }
            """, "abc");
        var generate = JsonNode.Parse((await Cli.Medley("generate", "--model", _models.First, "--prompt", "abc", "--temperature", "0", "--max-tokens", "15", "--json")).Stdout)!;

        Assert.Equal(generate["text"]!.GetValue<string>(), run["text"]!.GetValue<string>());
        Assert.Equal(0.25, run["statistics"]!["counters"]!["weight.one"]!.GetValue<double>(), 9);
        Assert.Equal(0.75, run["statistics"]!["counters"]!["weight.two"]!.GetValue<double>(), 9);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("hello world")]
    [InlineData("The 3 dogs.")]
    public async Task Union_vocab_of_members_sharing_a_tokenizer_decodes_as_logit_average(string prompt)
    {
        // With one tokenizer every candidate is one token of every member and the union is the whole vocabulary,
        // so averaging the members' probabilities over it is logit-average's mixture.
        var members = $$"""
              member:
                - { path: {{_models.First}}, name: one }
                - { path: {{_models.Second}}, name: two, weight: 3 }
            """;
        var union = await Run($"strategy: union-vocab\nmodels:\n{members}\nparameters: {{ top_k: 64 }}\nsampling: {{ temperature: 0, max_tokens: 16 }}\n", prompt);
        var average = await Run($"strategy: logit-average\nmodels:\n{members}\nparameters: {{ mode: mixture }}\nsampling: {{ temperature: 0, max_tokens: 16 }}\n", prompt);

        Assert.Equal(average["text"]!.GetValue<string>(), union["text"]!.GetValue<string>());
        Assert.Equal(average["statistics"]!["generatedTokens"]!.GetValue<int>(), union["statistics"]!["generatedTokens"]!.GetValue<int>());
        Assert.Equal(16, union["statistics"]!["generatedTokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Statistics_count_every_members_forward_passes_including_the_packllm_scoring()
    {
        // A 5-token prompt and 6 tokens (the tiny model emits no end-of-sequence this early): one prefill, then
        // one pass per token but the last; PackLLM scores the prompt once more per member.
        var run = await Run($$"""
            strategy: logit-average
            models: { member: [{{_models.First}}, {{_models.Second}}] }
            parameters: { weighting: packllm, tau: 2 }
            sampling: { temperature: 0, max_tokens: 6 }
            """, "hello");

        var statistics = run["statistics"]!;
        Assert.Equal("max-tokens", statistics["stopReason"]!.GetValue<string>());
        Assert.Equal(5, statistics["promptTokens"]!.GetValue<int>());
        Assert.Equal(6, statistics["generatedTokens"]!.GetValue<int>());
        Assert.Equal("step", statistics["kind"]!.GetValue<string>());
        var members = statistics["members"]!.AsArray();
        Assert.Equal(["first", "second"], members.Select(m => m!["name"]!.GetValue<string>()));
        Assert.All(members, m =>
        {
            Assert.Equal(7, m!["forwardCalls"]!.GetValue<long>());
            Assert.Equal(15, m["forwardTokens"]!.GetValue<long>());
            Assert.Equal("cpu:0", m["device"]!.GetValue<string>());
        });
        var weights = new[] { "first", "second" }.Select(n => statistics["counters"]![$"weight.{n}"]!.GetValue<double>()).ToArray();
        var nll = new[] { "first", "second" }.Select(n => statistics["counters"]![$"nll.{n}"]!.GetValue<double>()).ToArray();
        // w ∝ exp(−NLL/τ): the weights' log-ratio is the NLL difference over τ.
        Assert.Equal((nll[1] - nll[0]) / 2, Math.Log(weights[0] / weights[1]), 9);
        Assert.Equal(1, weights.Sum(), 9);
    }

    [Fact]
    public async Task Without_json_the_text_streams_then_the_counters_table()
    {
        var path = WriteConfig($$"""
            strategy: logit-average
            models: { member: {{_models.First}} }
            sampling: { temperature: 0, max_tokens: 6 }
            """);
        var run = await Cli.Medley("run", path, "--prompt", "hello");
        var generate = JsonNode.Parse((await Cli.Medley("generate", "--model", _models.First, "--prompt", "hello", "--temperature", "0", "--max-tokens", "6", "--json")).Stdout)!;

        Assert.True(run.Code == 0, run.Stderr);
        Assert.StartsWith(generate["text"]!.GetValue<string>() + "\n", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("logit-average (step)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("weight.first", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Forward calls", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Members_loaded_once_serve_many_prompts_from_code()
    {
        var config = RunConfigReader.Parse($$"""
            strategy: logit-average
            models: { member: [{{_models.First}}, {{_models.Second}}] }
            sampling: { temperature: 0, max_tokens: 8 }
            """, "inline", _models.Temp.Path);
        await using var host = MedleyHost.CreateDefault(o =>
        {
            o.UseDefaultPluginLocations = false;
            o.PluginDirectories.Add(Cli.PluginFolder);
        });
        using var members = await LoadedMembers.LoadAsync(host.Plugins, config, CancellationToken.None);
        var runner = new StrategyRunner(RunPlan.Create(host.Plugins, config), members, NullLogger.Instance);
        foreach (var prompt in new[] { "hello", "abc", "hello" })
        {
            var fromRunner = await Collect(runner.RunAsync(prompt, new RunStatistics(), CancellationToken.None));
            var request = new RunStrategy(config, prompt) { Members = members };
            var fromMediator = await Collect(host.Mediator.CreateStream(request, CancellationToken.None));

            Assert.Equal(fromRunner, fromMediator);
            Assert.Equal(8, request.Statistics.GeneratedTokens);
            // Counts start again for every prompt.
            Assert.All(request.Statistics.Members, m => Assert.Equal(8, m.ForwardCalls));
        }
    }

    [Fact]
    public async Task Members_with_different_tokenizers_are_refused_naming_both()
    {
        var (code, _, stderr) = await RunRaw($$"""
            strategy: logit-average
            models: { member: [{{_models.First}}, {{_models.OtherTokenizer}}] }
            """, "hello");

        Assert.Equal(3, code);
        Assert.Contains("error run.vocabulary.mismatch", stderr, StringComparison.Ordinal);
        Assert.Equal(
            "error run.vocabulary.mismatch: Strategy 'logit-average' combines the members' scores token by token, so they must share a vocabulary, " +
            $"but member 'first' has tokenizer character-level (64 tokens) from {_models.First} and 64 logits, " +
            $"while member 'other' has tokenizer character-level (64 tokens) from {_models.OtherTokenizer} and 64 logits. " +
            "Use a strategy for different tokenizers (union-vocab) or members with the same tokenizer." + Environment.NewLine,
            stderr);
    }

    [Fact]
    public async Task Roles_are_checked_before_any_model_is_loaded()
    {
        // The folder exists but holds no model: a load would fail; the role check must come first.
        var empty = Directory.CreateDirectory(Path.Combine(_models.Temp.Path, "empty-" + Guid.NewGuid().ToString("N"))).FullName;
        var (code, _, stderr) = await RunRaw($$"""
            strategy: logit-average
            models: { target: {{empty}} }
            """, "hello");

        Assert.Equal(3, code);
        Assert.Contains("error run.roles.invalid", stderr, StringComparison.Ordinal);
        Assert.Contains("models.target: strategy 'logit-average' has no role 'target' (its roles: member)", stderr, StringComparison.Ordinal);
        Assert.Contains(
            "models.member: strategy 'logit-average' requires a model for role 'member' (A model of the ensemble; all share one tokenizer), but none is given",
            stderr,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_strategy_lists_the_available_ones()
    {
        var (code, _, stderr) = await RunRaw($$"""
            strategy: telepathy
            models: { member: {{_models.First}} }
            """, "hello");

        Assert.Equal(3, code);
        Assert.Contains("error strategy.unknown", stderr, StringComparison.Ordinal);
        Assert.Contains("No strategy named 'telepathy'. Available: logit-average, test_chunked_greedy, union-vocab.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parameters_and_member_parameters_are_checked_against_the_plugins_schema()
    {
        var global = await RunRaw($$"""
            strategy: logit-average
            models: { member: {{_models.First}} }
            parameters: { mode: sum }
            """, "hello");
        var member = await RunRaw($$"""
            strategy: logit-average
            models: { member: [{ path: {{_models.First}}, weigth: 2 }] }
            """, "hello");

        Assert.Equal(3, global.Code);
        Assert.Contains("error request.invalid", global.Stderr, StringComparison.Ordinal);
        Assert.Contains("parameters of strategy 'logit-average' at /mode:", global.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, member.Code);
        Assert.Contains("error run.config.invalid", member.Stderr, StringComparison.Ordinal);
        Assert.Contains("member 'first' (models.member): parameters of strategy 'logit-average' at /weigth:", member.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_model_folder_and_a_missing_run_file_exit_with_invalid_input()
    {
        var missing = await RunRaw("""
            strategy: logit-average
            models: { member: ./no-such-model }
            """, "hello");
        var noFile = await Cli.Medley("run", Path.Combine(_models.Temp.Path, "absent.yml"), "--prompt", "x");

        Assert.Equal(3, missing.Code);
        Assert.Contains("line 2, models.member: model folder './no-such-model' (", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, noFile.Code);
        Assert.Contains("error run.config.invalid", noFile.Stderr, StringComparison.Ordinal);
    }

    private async Task<JsonNode> Run(string yaml, string prompt)
    {
        var (code, stdout, stderr) = await RunRaw(yaml, prompt, "--json");
        Assert.True(code == 0, stderr + stdout);
        return JsonNode.Parse(stdout)!;
    }

    private Task<(int Code, string Stdout, string Stderr)> RunRaw(string yaml, string prompt, params string[] extra) =>
        Cli.Medley(["run", WriteConfig(yaml), "--prompt", prompt, .. extra]);

    private string WriteConfig(string yaml)
    {
        var path = Path.Combine(_models.Temp.Path, $"run-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static async Task<string> Collect(IAsyncEnumerable<Medley.Sdk.Decoding.TokenEvent> events)
    {
        var text = new System.Text.StringBuilder();
        await foreach (var item in events)
        {
            text.Append(item.Text);
        }

        return text.ToString();
    }
}
