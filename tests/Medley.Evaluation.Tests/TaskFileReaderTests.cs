using Medley.Host.Evaluation;
using Medley.Runtime.Tests;

namespace Medley.Evaluation.Tests;

/// <summary>Reading JSON Lines task files and keeping the first items of each task.</summary>
public sealed class TaskFileReaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Items_keep_file_order_and_line_numbers_past_blank_lines_and_extra_fields()
    {
        var path = _temp.Combine("tasks.jsonl");
        File.WriteAllText(path, """
            {"task": "add", "prompt": "12+345=", "answer": "357", "seed": 4}

            {"task": "rev", "prompt": "abc>", "answer": "cba"}
            """);

        var items = TaskFileReader.Read(path);

        Assert.Equal([new EvaluationItem("add", "12+345=", "357", 1), new EvaluationItem("rev", "abc>", "cba", 3)], items);
    }

    [Theory]
    [InlineData(1, "a1 b1")]
    [InlineData(2, "a1 b1 a2 b2")]
    [InlineData(3, "a1 b1 a2 b2 a3")]
    public void First_per_task_keeps_the_first_items_of_each_task_in_file_order(int limit, string expected)
    {
        EvaluationItem[] items =
        [
            new("a", "a1", "x", 1), new("b", "b1", "x", 2), new("a", "a2", "x", 3),
            new("b", "b2", "x", 4), new("a", "a3", "x", 5),
        ];

        var kept = TaskFileReader.FirstPerTask(items, limit);

        Assert.Equal(expected, string.Join(' ', kept.Select(i => i.Prompt)));
    }

    [Fact]
    public void No_limit_keeps_everything() =>
        Assert.Equal(3, TaskFileReader.FirstPerTask([new("a", "1", "x", 1), new("a", "2", "x", 2), new("a", "3", "x", 3)], null).Count);
}
