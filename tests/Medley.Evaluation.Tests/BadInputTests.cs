using System.Text.Json.Nodes;

namespace Medley.Evaluation.Tests;

/// <summary>Wrong task files and options through the CLI: one clear message naming the file and line, and exit code 3 (2 for usage).</summary>
public sealed class BadInputTests : IClassFixture<EvalModel>
{
    private const string Expected = "expected one {\"task\", \"prompt\", \"answer\"} object per line.";
    private const string Good = """{"task": "add", "prompt": "12+3=", "answer": "15"}""";
    private readonly EvalModel _model;

    public BadInputTests(EvalModel model) => _model = model;

    [Theory]
    [InlineData("{\"task\": \"add\", \"prompt\": }", ":2, byte 27: not valid JSON; " + Expected)]
    [InlineData("[1, 2]", ":2: is a JSON array; expected an object with string fields \"task\", \"prompt\" and \"answer\".")]
    [InlineData("{\"task\": \"add\", \"prompt\": \"1+1=\"}", ":2: field 'answer' is missing; expected a non-empty string.")]
    [InlineData("{\"task\": \"add\", \"prompt\": \"\", \"answer\": \"2\"}", ":2: field 'prompt' is empty; expected a non-empty string.")]
    [InlineData("{\"task\": \"add\", \"prompt\": \"1+1=\", \"answer\": 2}", ":2: field 'answer' is a JSON number; expected a non-empty string.")]
    [InlineData("{\"task\": null, \"prompt\": \"1+1=\", \"answer\": \"2\"}", ":2: field 'task' is a JSON null; expected a non-empty string.")]
    public async Task A_bad_line_is_reported_with_its_file_and_line(string line, string message)
    {
        var tasks = Write(Good, line);
        var run = await Cli.Medley("eval", "--model", _model.Folder, "--tasks", tasks);

        Assert.Equal(3, run.Code);
        var code = message.Contains("not valid JSON", StringComparison.Ordinal) ? "eval.tasks.not-json" : "eval.tasks.invalid";
        Assert.Equal($"error {code}: {tasks}{message}{Environment.NewLine}", run.Stderr);
    }

    [Fact]
    public async Task A_prompt_the_tokenizer_cannot_read_is_reported_with_its_line()
    {
        var tasks = Write(Good.Replace("12+3=", "abc", StringComparison.Ordinal), """{"task": "add", "prompt": "a!b", "answer": "x"}""");
        var run = await Cli.Medley("eval", "--model", _model.Folder, "--tasks", tasks);

        Assert.Equal(3, run.Code);
        Assert.Equal(
            $"error tokenizer.unknown-character: {tasks}:2: The character U+0021 is not in the character vocabulary of {_model.Folder}, which has no unknown token.{Environment.NewLine}",
            run.Stderr);
    }

    [Fact]
    public async Task A_missing_task_file_is_named()
    {
        var tasks = _model.Temp.Combine("no-such-tasks.jsonl");
        var run = await Cli.Medley("eval", "--model", _model.Folder, "--tasks", tasks);

        Assert.Equal(3, run.Code);
        Assert.Equal($"error eval.tasks.missing: Task file '{tasks}' does not exist; expected a JSON Lines file of {{\"task\", \"prompt\", \"answer\"}} objects.{Environment.NewLine}", run.Stderr);
    }

    [Fact]
    public async Task A_task_file_of_blank_lines_is_empty()
    {
        var tasks = Write(string.Empty, "   ");
        var run = await Cli.Medley("eval", "--model", _model.Folder, "--tasks", tasks, "--json");

        Assert.Equal(3, run.Code);
        var error = JsonNode.Parse(run.Stdout)!["error"]!;
        Assert.Equal("eval.tasks.empty", error["code"]!.GetValue<string>());
        Assert.Equal($"Task file '{tasks}' has no items; expected one {{\"task\", \"prompt\", \"answer\"}} object per line.", error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Limit_and_parallel_below_one_are_listed_together()
    {
        var run = await Cli.Medley("eval", "--model", _model.Folder, "--tasks", Write(Good), "--limit", "0", "--parallel", "0");

        Assert.Equal(3, run.Code);
        Assert.StartsWith("error request.invalid:", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("--limit is 0: expected at least 1 item per task", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("--parallel is 0: expected at least 1", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tasks_are_required()
    {
        var run = await Cli.Medley("eval", "--model", _model.Folder);

        Assert.Equal(2, run.Code);
        Assert.Contains("--tasks", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_folder_that_does_not_exist_is_an_input_error()
    {
        var run = await Cli.Medley("eval", "--model", _model.Temp.Combine("no-model"), "--tasks", Write(Good));

        Assert.Equal(3, run.Code);
        Assert.Contains("no-model", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unusable_device_is_an_error_not_a_fallback()
    {
        var run = await Cli.Medley("eval", "--model", _model.Folder, "--tasks", Write(Good), "--device", "dml");

        Assert.Equal(3, run.Code);
        Assert.StartsWith("error device.", run.Stderr, StringComparison.Ordinal);
    }

    private string Write(params string[] lines)
    {
        var path = _model.Temp.Combine($"tasks-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }
}
