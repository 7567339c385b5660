using System.Diagnostics;
using System.Globalization;
using Mediator;
using Medley.Host.Evaluation;
using Medley.Host.Merging.Engine;
using Medley.Host.Onnx.Export;
using Medley.Host.Plugins;
using Medley.Host.Requests;
using Medley.Host.Runtime.Devices;
using Medley.Sdk;

namespace Medley.Host.Demo;

/// <summary>Handles <see cref="SkillsDemo"/>: every row is merged, exported and evaluated in this run.</summary>
public sealed class SkillsDemoHandler : IRequestHandler<SkillsDemo, DemoReport>
{
    private const string Stage = "demo";

    // The longest skills answer is 7 characters; the evaluator stops earlier on a mismatch or end of sequence.
    private const int MaxAnswerTokens = 16;
    private readonly PluginCatalog _catalog;
    private readonly IMediator _mediator;

    /// <summary>Creates the handler.</summary>
    /// <param name="catalog">Merge methods and strategies.</param>
    /// <param name="mediator">Runs the merges through the same pipeline as <c>medley merge</c>.</param>
    public SkillsDemoHandler(PluginCatalog catalog, IMediator mediator)
    {
        _catalog = catalog;
        _mediator = mediator;
    }

    /// <inheritdoc />
    public async ValueTask<DemoReport> Handle(SkillsDemo request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        var fixture = SkillsFixture.Open(request.SkillsFolder);
        var items = fixture.Items(request.Limit);
        var selection = new DeviceSelector(_catalog).Select("cpu");
        var ownsWork = request.WorkFolder is null;
        var work = request.WorkFolder ?? Path.Combine(Path.GetTempPath(), "medley-demo-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(work);
        try
        {
            var fineTunes = fixture.Tasks.Select(SkillsFixture.FineTuneName).ToList();
            var strategies = DemoStrategy.For(fineTunes);
            var cooperating = strategies.SelectMany(st => st.Models).Distinct(StringComparer.Ordinal)
                .Where(name => name != "base" && !fineTunes.Contains(name)).ToList();
            var missing = cooperating.Where(name => !fixture.Models.ContainsKey(name)).ToList();
            if (missing.Count > 0)
            {
                throw new MedleyException(DemoErrorCodes.SkillsMissing, $"The skills suite in '{fixture.Folder}' lacks {string.Join(", ", missing)} under models/, which the strategy rows need.");
            }

            // The cascade's threshold is calibrated before its run; the other response rows need nothing first.
            var responseRowCount = DemoResponseRun.For(fineTunes, cascadeThreshold: 0).Count;
            var steps = 1 + fineTunes.Count + DemoMerge.All.Count + cooperating.Count + strategies.Count + 1 + responseRowCount;
            var done = 0;
            void Advance(string item) => request.Progress?.Report(new ProgressUpdate(Stage, done++, steps, "steps", item));

            var reports = new List<(string Name, string Group, string Description, EvaluationReport Report)>();
            var exported = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in (string[])["base", .. fineTunes])
            {
                Advance(name);
                var onnx = exported[name] = Export(fixture.Models[name], Path.Combine(work, "onnx", name), cancellationToken);
                var group = name == "base" ? "model" : "fine-tune";
                var description = name == "base" ? "trained briefly on every task" : $"base fine-tuned on {name[3..]}";
                reports.Add((name, group, description, await EvaluateAsync(onnx, name, selection, items, fixture, request, cancellationToken).ConfigureAwait(false)));
            }

            var fineTuneFolders = fineTunes.Select(name => fixture.Models[name]).ToList();
            foreach (var merge in DemoMerge.All)
            {
                Advance(merge.Name);
                var config = Path.Combine(work, "merges", merge.Name + ".yml");
                Directory.CreateDirectory(Path.GetDirectoryName(config)!);
                await File.WriteAllTextAsync(config, merge.ToYaml(fixture.Models["base"], fineTuneFolders), cancellationToken).ConfigureAwait(false);
                var merged = Path.Combine(work, "merged", merge.Name);
                await _mediator.Send(new MergeModels(config, new MergeRunOptions { OutputFolder = merged, Force = true, Seed = 1 }), cancellationToken).ConfigureAwait(false);
                var onnx = Export(merged, Path.Combine(work, "onnx", "merge-" + merge.Name), cancellationToken);
                reports.Add((merge.Name, "merge", merge.Description, await EvaluateAsync(onnx, merge.Name, selection, items, fixture, request, cancellationToken).ConfigureAwait(false)));
            }

            // Models that serve the strategies are evaluated one item at a time, as the strategies are, so that
            // their speeds compare.
            foreach (var name in cooperating)
            {
                Advance(name);
                exported[name] = Export(fixture.Models[name], Path.Combine(work, "onnx", name), cancellationToken);
                var sequential = request with { Parallelism = 1 };
                reports.Add((name, "model", $"{name} alone (one item at a time)", await EvaluateAsync(exported[name], name, selection, items, fixture, sequential, cancellationToken).ConfigureAwait(false)));
            }

            var tasksFile = Path.Combine(work, "items.jsonl");
            await File.WriteAllLinesAsync(
                tasksFile,
                items.Select(i => System.Text.Json.JsonSerializer.Serialize(new { task = i.Task, prompt = i.Prompt, answer = i.Answer })),
                cancellationToken).ConfigureAwait(false);
            foreach (var strategy in strategies)
            {
                Advance(strategy.Name);
                var runFile = Path.Combine(work, "runs", strategy.Name + ".yml");
                Directory.CreateDirectory(Path.GetDirectoryName(runFile)!);
                await File.WriteAllTextAsync(runFile, strategy.ToYaml(name => exported[name], MaxAnswerTokens), cancellationToken).ConfigureAwait(false);
                var report = await _mediator.Send(new EvaluateRun(runFile, tasksFile), cancellationToken).ConfigureAwait(false);
                reports.Add((strategy.Name, "strategy", strategy.Description, report));
            }

            Advance("cascade calibration");
            var confidence = await CascadeCalibration.ScoresAsync(exported["small"], items, MaxAnswerTokens, cancellationToken).ConfigureAwait(false);
            var threshold = CascadeCalibration.Threshold(confidence, DemoResponseRun.CascadeEscalationTarget);
            var responseRuns = DemoResponseRun.For(fineTunes, threshold);
            foreach (var run in responseRuns)
            {
                Advance(run.Name);
                var runFile = Path.Combine(work, "runs", run.Name + ".yml");
                Directory.CreateDirectory(Path.GetDirectoryName(runFile)!);
                await File.WriteAllTextAsync(runFile, run.ToYaml(name => exported[name], MaxAnswerTokens), cancellationToken).ConfigureAwait(false);
                var report = await _mediator.Send(new EvaluateRun(runFile, tasksFile), cancellationToken).ConfigureAwait(false);
                reports.Add((run.Name, "response", run.Description, report));
            }

            request.Progress?.Report(new ProgressUpdate(Stage, steps, steps, "steps"));
            var rows = Rows(fixture.Tasks, reports);
            var merges = rows.Where(r => r.Group == "merge").ToList();
            var reportsByName = reports.ToDictionary(r => r.Name, r => r.Report, StringComparer.Ordinal);
            var best = merges.OrderByDescending(r => r.MinimumNormalized ?? -1).ThenByDescending(r => r.Average).First();
            return new DemoReport
            {
                SkillsFolder = fixture.Folder,
                Tasks = fixture.Tasks,
                ItemsPerTask = items.GroupBy(i => i.Task, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
                Rows = rows,
                BestMerge = best.Name,
                Findings = [.. DemoFindings.Merging(fixture.Tasks, rows, best), .. DemoFindings.Strategies(rows, strategies, reportsByName),
                    .. DemoFindings.Responses(fineTunes, rows, reportsByName, threshold)],
                WallSeconds = clock.Elapsed.TotalSeconds,
            };
        }
        finally
        {
            if (ownsWork)
            {
                TryDelete(work);
            }
        }
    }

    private static string Export(string checkpoint, string output, CancellationToken cancellationToken)
    {
        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        OnnxExporter.Export(checkpoint, output, cancellationToken: cancellationToken);
        return output;
    }

    private static async Task<EvaluationReport> EvaluateAsync(
        string onnx, string name, DeviceSelection selection, IReadOnlyList<EvaluationItem> items, SkillsFixture fixture, SkillsDemo request, CancellationToken cancellationToken)
    {
        using var answerer = ModelAnswerer.Load(onnx, selection, request.Parallelism, name);
        var settings = new EvaluationRunSettings(Path.Combine(fixture.Folder, "tasks"), request.Limit, request.Parallelism, Progress: null);
        return await Evaluator.RunAsync(answerer, items, settings, cancellationToken).ConfigureAwait(false);
    }

    private static List<DemoRow> Rows(IReadOnlyList<string> tasks, List<(string Name, string Group, string Description, EvaluationReport Report)> reports)
    {
        var accuracy = reports.ToDictionary(
            r => r.Name,
            r => (IReadOnlyDictionary<string, double>)tasks.ToDictionary(t => t, t => r.Report.Tasks.FirstOrDefault(s => s.Task == t)?.Accuracy ?? 0, StringComparer.Ordinal),
            StringComparer.Ordinal);
        return reports.Select(r =>
        {
            var own = accuracy[r.Name];
            var normalized = tasks.ToDictionary(
                t => t,
                t => accuracy.TryGetValue(SkillsFixture.FineTuneName(t), out var fineTune) && fineTune[t] > 0 ? own[t] / fineTune[t] : (double?)null,
                StringComparer.Ordinal);
            return new DemoRow(r.Name, r.Group, r.Description, own, own.Values.Average(), normalized, r.Report.TokensPerSecond, r.Report.Calls, r.Report.Counters);
        }).ToList();
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless; failing the demo over it is not.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    internal static string Percent(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
