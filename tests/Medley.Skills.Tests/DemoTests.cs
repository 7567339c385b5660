using System.Text.Json;
using Medley.Cli;

namespace Medley.Skills.Tests;

/// <summary>
/// <c>medley demo --json</c>, the README's main job, run in-process on the bundled skills suite (the copy the build
/// puts beside the CLI), with the relations the suite exists to show asserted on this run's numbers.
/// </summary>
public sealed class DemoTests
{
    private static readonly Lazy<Task<JsonElement>> Report = new(RunDemoAsync);

    private static async Task<JsonElement> RunDemoAsync()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await MedleyCli.RunAsync(["demo", "--json"], stdout, stderr, CancellationToken.None);
        Assert.True(code == 0, $"medley demo exited {code}: {stderr}");
        return JsonDocument.Parse(stdout.ToString()).RootElement;
    }

    private static async Task<Dictionary<string, JsonElement>> RowsAsync() =>
        (await Report.Value).GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);

    private static double Accuracy(JsonElement row, string task) => row.GetProperty("accuracy").GetProperty(task).GetDouble();

    private static IEnumerable<string> Tasks(JsonElement report) => report.GetProperty("tasks").EnumerateArray().Select(t => t.GetString()!);

    [Fact]
    public async Task The_demo_scores_every_model_merge_and_strategy_on_every_held_out_item()
    {
        var report = await Report.Value;
        var rows = await RowsAsync();
        string[] expected =
        [
            "base", "ft-add", "ft-sub", "ft-rev", "ft-sort", "ft-count", "linear", "task_arithmetic", "ties", "dare_ties",
            "large", "small", "amateur", "speculative", "contrastive", "proxy-tuning", "logit-average", "union-vocab",
            "router", "vote", "vote-1", "sample", "cascade",
        ];
        Assert.Equal(expected.Order(), rows.Keys.Order());
        Assert.All(report.GetProperty("itemsPerTask").EnumerateObject(), task => Assert.Equal(100, task.Value.GetInt32()));
        Assert.All(rows.Values, row => Assert.True(row.GetProperty("calls").EnumerateObject().Sum(c => c.Value.GetInt64()) > 0, $"{row.GetProperty("name")} made no forward pass"));
        Assert.True(report.GetProperty("wallSeconds").GetDouble() < 120, "the demo must finish within two minutes on two cores");
    }

    [Fact]
    public async Task Each_fine_tune_beats_base_on_its_own_task_by_a_clear_margin()
    {
        var report = await Report.Value;
        var rows = await RowsAsync();
        foreach (var task in Tasks(report))
        {
            var fineTune = Accuracy(rows["ft-" + task], task);
            var baseline = Accuracy(rows["base"], task);
            Assert.True(fineTune - baseline >= 0.20, $"ft-{task} scores {fineTune:P0} on {task}, base {baseline:P0}");
        }
    }

    [Fact]
    public async Task Normalized_accuracy_is_each_rows_accuracy_over_the_tasks_own_fine_tune_and_picks_the_best_merge()
    {
        var report = await Report.Value;
        var rows = await RowsAsync();
        var tasks = Tasks(report).ToList();
        foreach (var row in rows.Values)
        {
            foreach (var task in tasks)
            {
                var fineTune = Accuracy(rows["ft-" + task], task);
                var normalized = row.GetProperty("normalized").GetProperty(task);
                Assert.Equal(Accuracy(row, task) / fineTune, normalized.GetDouble(), 12);
            }

            Assert.Equal(tasks.Average(t => Accuracy(row, t)), row.GetProperty("average").GetDouble(), 12);
        }

        var merges = rows.Values.Where(r => r.GetProperty("group").GetString() == "merge").ToList();
        var best = merges.Max(m => m.GetProperty("minimumNormalized").GetDouble());
        Assert.Equal(best, rows[report.GetProperty("bestMerge").GetString()!].GetProperty("minimumNormalized").GetDouble());
        var retention = report.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("claim").GetString()!.Contains("keeps ≥ 80 %", StringComparison.Ordinal));
        Assert.Equal(best >= 0.8, retention.GetProperty("holds").GetBoolean());
    }

    [Fact]
    public async Task Speculative_decoding_answers_exactly_as_its_target_with_fewer_target_calls()
    {
        var rows = await RowsAsync();
        Assert.Equal(rows["large"].GetProperty("accuracy").ToString(), rows["speculative"].GetProperty("accuracy").ToString());
        var calls = rows["speculative"].GetProperty("calls");
        Assert.True(calls.GetProperty("large").GetInt64() < rows["large"].GetProperty("calls").GetProperty("large").GetInt64());
        Assert.True(calls.GetProperty("small").GetInt64() > 0);
        var acceptance = rows["speculative"].GetProperty("counters").GetProperty("acceptance_rate").GetDouble();
        Assert.InRange(acceptance, 0.3, 1.0);

        var report = await Report.Value;
        var identical = report.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("claim").GetString()!.StartsWith("speculative decoding gives exactly", StringComparison.Ordinal));
        Assert.True(identical.GetProperty("holds").GetBoolean(), identical.GetProperty("evidence").GetString());
    }

    [Fact]
    public async Task Union_vocab_over_members_sharing_a_tokenizer_answers_as_logit_average()
    {
        var rows = await RowsAsync();
        Assert.Equal(rows["logit-average"].GetProperty("accuracy").ToString(), rows["union-vocab"].GetProperty("accuracy").ToString());
        Assert.True(rows["union-vocab"].GetProperty("counters").GetProperty("steps").GetDouble() > 0);
    }

    [Fact]
    public async Task Router_by_task_answers_each_task_as_its_fine_tune_and_beats_every_member_on_average()
    {
        var report = await Report.Value;
        var rows = await RowsAsync();
        var router = rows["router"];
        foreach (var task in Tasks(report))
        {
            // Every prompt of a task goes to that task's fine-tune, which answers greedily as in its own row.
            Assert.Equal(Accuracy(rows["ft-" + task], task), Accuracy(router, task), 12);
            Assert.Equal(100, router.GetProperty("calls").GetProperty("ft-" + task).GetInt64());
        }

        var members = (string[])["base", .. Tasks(report).Select(t => "ft-" + t)];
        Assert.All(members, m => Assert.True(router.GetProperty("average").GetDouble() >= rows[m].GetProperty("average").GetDouble(), $"router below {m}"));
        Assert.True(Finding(report, "router (rules by task)").GetProperty("holds").GetBoolean());
    }

    [Fact]
    public async Task Vote_over_one_sample_answers_as_one_sample_and_over_five_asks_five_times_as_often()
    {
        var report = await Report.Value;
        var rows = await RowsAsync();
        Assert.Equal(rows["sample"].GetProperty("accuracy").ToString(), rows["vote-1"].GetProperty("accuracy").ToString());
        var identical = Finding(report, "vote over 1 sample answers exactly");
        Assert.True(identical.GetProperty("holds").GetBoolean(), identical.GetProperty("evidence").GetString());

        var single = rows["vote-1"].GetProperty("calls").GetProperty("large").GetInt64();
        Assert.Equal(500, single);
        Assert.Equal(5 * single, rows["vote"].GetProperty("calls").GetProperty("large").GetInt64());

        // Whether voting beats one sample or greedy decoding is measured, not assumed: printed, not asserted.
        foreach (var finding in report.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("claim").GetString()!.StartsWith("vote over 5", StringComparison.Ordinal)))
        {
            Console.WriteLine($"{finding.GetProperty("holds")}: {finding.GetProperty("claim")} — {finding.GetProperty("evidence")}");
        }
    }

    [Fact]
    public async Task Cascade_escalates_part_of_the_requests_and_is_at_least_as_accurate_as_small()
    {
        var report = await Report.Value;
        var rows = await RowsAsync();
        var cascade = rows["cascade"];
        var calls = cascade.GetProperty("calls");
        var asked = calls.GetProperty("small").GetInt64();
        var escalated = calls.GetProperty("large").GetInt64();
        Assert.Equal(500, asked);
        Assert.InRange(escalated, 1, asked - 1);
        Assert.True(cascade.GetProperty("average").GetDouble() >= rows["small"].GetProperty("average").GetDouble());

        var finding = Finding(report, "cascade small → large");
        Assert.Contains($"{escalated} of {asked} requests escalated", finding.GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Console.WriteLine($"{finding.GetProperty("holds")}: {finding.GetProperty("claim")} — {finding.GetProperty("evidence")}");
    }

    private static JsonElement Finding(JsonElement report, string claimStart) =>
        report.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("claim").GetString()!.StartsWith(claimStart, StringComparison.Ordinal));

    [Fact]
    public async Task A_folder_that_is_not_a_skills_suite_is_refused_with_its_name()
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "medley-not-skills-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var stdout = new StringWriter();
            using var stderr = new StringWriter();
            var code = await MedleyCli.RunAsync(["demo", "--skills", folder], stdout, stderr, CancellationToken.None);

            Assert.Equal(3, code);
            Assert.Contains($"error demo.skills.missing: '{folder}' is not a skills suite: expected the folders models/ and tasks/ inside it", stderr.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
