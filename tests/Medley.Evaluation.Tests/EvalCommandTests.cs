using System.Text.Json;
using System.Text.Json.Nodes;
using Medley.Host.Schemas;

namespace Medley.Evaluation.Tests;

/// <summary>
/// <c>medley eval</c> on a tiny random model and a task file whose answers are known: in each task, the first two
/// items' answers are the model's own greedy output and the last two are that output with its first character
/// changed, so every number in the report can be worked out by hand.
/// </summary>
public sealed class EvalCommandTests : IClassFixture<EvalModel>, IAsyncLifetime
{
    private const int PromptLength = 28;
    private static readonly string[] TaskNames = ["copy", "count"];
    private readonly EvalModel _model;
    private readonly List<(string Task, string Prompt, string Answer, GreedyAnswer Greedy, bool Right)> _items = [];
    private string _tasks = string.Empty;

    public EvalCommandTests(EvalModel model) => _model = model;

    public async Task InitializeAsync()
    {
        var random = new Random(5);
        var byTask = TaskNames.ToDictionary(t => t, _ => new List<(string Prompt, string Answer, GreedyAnswer Greedy, bool Right)>());
        foreach (var task in TaskNames)
        {
            while (byTask[task].Count < 4)
            {
                var prompt = new string(Enumerable.Range(0, PromptLength).Select(_ => EvalModel.Alphabet[random.Next(EvalModel.Alphabet.Length)]).ToArray());
                var greedy = await _model.GreedyAsync(prompt);
                if (greedy.Text.Length == 0)
                {
                    // An item needs a non-empty answer; a prompt the model answers with end-of-sequence at once is skipped.
                    continue;
                }

                var right = byTask[task].Count < 2;
                var answer = right ? greedy.Text : Changed(greedy.Text);
                byTask[task].Add((prompt, answer, greedy, right));
            }
        }

        // Tasks interleaved line by line, so that grouping and --limit must follow the task field, not the order.
        for (var i = 0; i < 4; i++)
        {
            foreach (var task in TaskNames)
            {
                var (prompt, answer, greedy, right) = byTask[task][i];
                _items.Add((task, prompt, answer, greedy, right));
            }
        }

        _tasks = _model.Temp.Combine($"tasks-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(_tasks, _items.Select(item => JsonSerializer.Serialize(new { task = item.Task, prompt = item.Prompt, answer = item.Answer })));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_run_config_strategy_is_scored_like_the_model_it_averages_and_counts_each_members_calls()
    {
        // logit-average of two copies of one model decodes exactly as the model does (Medley.Running.Tests shows
        // it token for token), so the report must match the single-model one item by item.
        var runFile = _model.Temp.Combine($"run-{Guid.NewGuid():N}.yml");
        var folder = _model.Folder.Replace("'", "''", StringComparison.Ordinal);
        await File.WriteAllTextAsync(runFile, $$"""
            strategy: logit-average
            models:
              member:
                - { path: '{{folder}}', name: one }
                - { path: '{{folder}}', name: two, weight: 3 }
            parameters: { mode: mixture }
            sampling: { temperature: 0, max_tokens: 64 }
            """);

        var single = JsonNode.Parse((await Cli.Medley("eval", "--model", _model.Folder, "--tasks", _tasks, "--json")).Stdout)!;
        var run = await Cli.Medley("eval", "--run", runFile, "--tasks", _tasks, "--json", "--plugins", Path.Combine(AppContext.BaseDirectory, "plugins"));

        Assert.True(run.Code == 0, run.Stderr + run.Stdout);
        var report = JsonNode.Parse(run.Stdout)!;
        Assert.Equal("logit-average", report["subject"]!["kind"]!.GetValue<string>());
        Assert.Equal(0.5, report["accuracy"]!.GetValue<double>());
        Assert.Equal(1, report["parallelism"]!.GetValue<int>());
        var expected = single["results"]!.AsArray();
        var actual = report["results"]!.AsArray();
        Assert.Equal(expected.Select(r => r!["output"]!.GetValue<string>()), actual.Select(r => r!["output"]!.GetValue<string>()));
        Assert.Equal(expected.Select(r => r!["stopReason"]!.GetValue<string>()), actual.Select(r => r!["stopReason"]!.GetValue<string>()));

        // Each member runs the prompt once and then once per token it is fed after the first.
        var calls = report["calls"]!;
        var perMember = _items.Sum(item => item.Right ? item.Greedy.Calls : 1);
        Assert.Equal(perMember, calls["one"]!.GetValue<long>());
        Assert.Equal(perMember, calls["two"]!.GetValue<long>());
        Assert.Empty(JsonSchemaChecker.Evaluate(Schema.Load(), JsonDocument.Parse(run.Stdout).RootElement));
    }

    [Fact]
    public async Task Model_and_run_together_or_neither_is_a_usage_error()
    {
        var both = await Cli.Medley("eval", "--model", _model.Folder, "--run", "x.yml", "--tasks", _tasks);
        var neither = await Cli.Medley("eval", "--tasks", _tasks);

        Assert.Equal(2, both.Code);
        Assert.Equal(2, neither.Code);
        Assert.Contains("Give exactly one of --model DIR (one model) or --run RUN.yml (a strategy).", both.Stderr, StringComparison.Ordinal);
        Assert.Contains("Give exactly one of --model DIR (one model) or --run RUN.yml (a strategy).", neither.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Half_right_half_wrong_scores_exactly_50_percent_per_task_and_overall()
    {
        var run = await Cli.Medley("eval", "--model", _model.Folder, "--tasks", _tasks, "--json");

        Assert.True(run.Code == 0, run.Stderr + run.Stdout);
        var report = JsonNode.Parse(run.Stdout)!;
        Assert.Equal(8, report["items"]!.GetValue<int>());
        Assert.Equal(4, report["correct"]!.GetValue<int>());
        Assert.Equal(0.5, report["accuracy"]!.GetValue<double>());
        var tasks = report["tasks"]!.AsArray();
        Assert.Equal(TaskNames, tasks.Select(t => t!["task"]!.GetValue<string>()));
        Assert.All(tasks, t =>
        {
            Assert.Equal(4, t!["items"]!.GetValue<int>());
            Assert.Equal(2, t["correct"]!.GetValue<int>());
            Assert.Equal(0.5, t["accuracy"]!.GetValue<double>());
        });

        var results = report["results"]!.AsArray();
        Assert.Equal(8, results.Count);
        for (var i = 0; i < 8; i++)
        {
            var (task, _, answer, greedy, right) = _items[i];
            var result = results[i]!;
            Assert.Equal(task, result["task"]!.GetValue<string>());
            Assert.Equal(i + 1, result["line"]!.GetValue<int>());
            Assert.Equal(answer, result["answer"]!.GetValue<string>());
            Assert.Equal(right, result["correct"]!.GetValue<bool>());
            Assert.Equal(PromptLength, result["promptTokens"]!.GetValue<int>());
            // A wrong answer is abandoned at its first character; a right one runs as far as greedy decoding does.
            Assert.Equal(right ? greedy.Text : greedy.Text[..1], result["output"]!.GetValue<string>());
            Assert.Equal(right ? greedy.Tokens : 1, result["generatedTokens"]!.GetValue<int>());
            Assert.Equal(right ? greedy.StopReason : "mismatch", result["stopReason"]!.GetValue<string>());
        }

        var expectedTokens = _items.Sum(item => item.Right ? item.Greedy.Tokens : 1);
        var expectedCalls = _items.Sum(item => item.Right ? item.Greedy.Calls : 1);
        Assert.Equal(expectedTokens, report["generatedTokens"]!.GetValue<int>());
        Assert.Equal(8 * PromptLength, report["promptTokens"]!.GetValue<int>());
        Assert.Equal(expectedCalls, report["calls"]!["model"]!.GetValue<int>());
        Assert.Single(report["calls"]!.AsObject());
        Assert.Empty(report["counters"]!.AsObject());
        Assert.Equal("model", report["subject"]!["kind"]!.GetValue<string>());
        Assert.Equal("model", report["subject"]!["name"]!.GetValue<string>());
        Assert.Equal("cpu:0", report["subject"]!["device"]!.GetValue<string>());
        Assert.Null(report["limit"]);
        var seconds = report["wallSeconds"]!.GetValue<double>();
        Assert.True(seconds > 0);
        Assert.Equal(expectedTokens / seconds, report["tokensPerSecond"]!.GetValue<double>(), 6);
    }

    [Theory]
    [InlineData(2, new[] { 1, 2, 3, 4 }, 1.0)]
    [InlineData(3, new[] { 1, 2, 3, 4, 5, 6 }, 2.0 / 3)]
    [InlineData(9, new[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 0.5)]
    public async Task Limit_keeps_the_first_items_of_each_task(int limit, int[] lines, double accuracy)
    {
        var run = await Cli.Medley("eval", "--model", _model.Folder, "--tasks", _tasks, "--limit", limit.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");

        Assert.True(run.Code == 0, run.Stderr + run.Stdout);
        var report = JsonNode.Parse(run.Stdout)!;
        Assert.Equal(limit, report["limit"]!.GetValue<int>());
        Assert.Equal(lines, report["results"]!.AsArray().Select(r => r!["line"]!.GetValue<int>()));
        Assert.All(report["tasks"]!.AsArray(), t => Assert.Equal(accuracy, t!["accuracy"]!.GetValue<double>(), 12));
    }

    [Fact]
    public async Task Items_run_one_at_a_time_or_in_parallel_give_the_same_report()
    {
        var sequential = await Cli.Medley("eval", "--model", _model.Folder, "--tasks", _tasks, "--parallel", "1", "--json");
        var parallel = await Cli.Medley("eval", "--model", _model.Folder, "--tasks", _tasks, "--parallel", "4", "--json");

        Assert.True(sequential.Code == 0 && parallel.Code == 0, sequential.Stderr + parallel.Stderr);
        var one = JsonNode.Parse(sequential.Stdout)!;
        var many = JsonNode.Parse(parallel.Stdout)!;
        Assert.Equal(1, one["parallelism"]!.GetValue<int>());
        Assert.Equal(4, many["parallelism"]!.GetValue<int>());
        Assert.Equal(one["results"]!.ToJsonString(), many["results"]!.ToJsonString());
        Assert.Equal(one["calls"]!.ToJsonString(), many["calls"]!.ToJsonString());
    }

    [Fact]
    public async Task The_report_file_and_the_json_output_are_the_same_and_match_the_schema()
    {
        var path = _model.Temp.Combine($"report-{Guid.NewGuid():N}.json");
        var run = await Cli.Medley("eval", "--model", _model.Folder, "--tasks", _tasks, "--report", path, "--json");

        Assert.True(run.Code == 0, run.Stderr + run.Stdout);
        var schema = Schema.Load();
        using var written = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        using var printed = JsonDocument.Parse(run.Stdout);
        Assert.Empty(JsonSchemaChecker.Evaluate(schema, written.RootElement));
        Assert.Empty(JsonSchemaChecker.Evaluate(schema, printed.RootElement));
        Assert.Equal(Without(written.RootElement, "wallSeconds", "tokensPerSecond"), Without(printed.RootElement, "wallSeconds", "tokensPerSecond"));
    }

    [Fact]
    public async Task An_existing_report_is_refused_without_force_and_replaced_with_it()
    {
        var folder = _model.Temp.Combine($"reports-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "report.json");
        await File.WriteAllTextAsync(path, "old");

        var refused = await Cli.Medley("eval", "--model", _model.Folder, "--tasks", _tasks, "--report", path);
        Assert.Equal(3, refused.Code);
        Assert.Equal($"error eval.report.exists: Report file '{path}' already exists; choose another --report file or pass --force to replace it.{Environment.NewLine}", refused.Stderr);
        Assert.Equal("old", await File.ReadAllTextAsync(path));

        var forced = await Cli.Medley("eval", "--model", _model.Folder, "--tasks", _tasks, "--report", path, "--force");
        Assert.True(forced.Code == 0, forced.Stderr);
        Assert.Equal(0.5, JsonNode.Parse(await File.ReadAllTextAsync(path))!["accuracy"]!.GetValue<double>());
        Assert.Equal(["report.json"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Without_json_a_table_shows_accuracy_per_task_and_a_summary_line()
    {
        var run = await Cli.Medley("eval", "--model", _model.Folder, "--tasks", _tasks);

        Assert.True(run.Code == 0, run.Stderr);
        Assert.Matches(@"copy\W+4\W+2\W+50\.0 %", run.Stdout);
        Assert.Matches(@"count\W+4\W+2\W+50\.0 %", run.Stdout);
        Assert.Matches(@"all\W+8\W+4\W+50\.0 %", run.Stdout);
        Assert.Matches(@"\[cpu:0\] \d+ tokens generated in [0-9.]+ s \([0-9.]+ tok/s\), \d+ at once; calls: model \d+", run.Stdout);
    }

    private static string Without(JsonElement report, params string[] names)
    {
        var node = JsonNode.Parse(report.GetRawText())!.AsObject();
        foreach (var name in names)
        {
            node.Remove(name);
        }

        return node.ToJsonString();
    }

    private static string Changed(string text)
    {
        var first = EvalModel.Alphabet.IndexOf(text[0], StringComparison.Ordinal);
        return EvalModel.Alphabet[(first + 1) % EvalModel.Alphabet.Length] + text[1..];
    }
}
