using System.Globalization;

namespace Medley.Host.Demo;

/// <summary>The comparisons the demo states, each with the numbers of this run.</summary>
internal static class DemoFindings
{
    /// <summary>A fine-tune should be clearly better than base on its own task: this many accuracy points.</summary>
    public const double FineTuneMargin = 0.20;

    /// <summary>The merging literature's bar for a good multi-task merge: this much of each fine-tune's accuracy kept.</summary>
    public const double RetentionBar = 0.80;

    public static IReadOnlyList<DemoFinding> Merging(IReadOnlyList<string> tasks, IReadOnlyList<DemoRow> rows, DemoRow best)
    {
        var byName = rows.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var baseRow = byName["base"];
        var fineTunes = tasks.Select(t => byName[SkillsFixture.FineTuneName(t)]).ToList();

        var gains = tasks.Select(t => (Task: t, FineTune: byName[SkillsFixture.FineTuneName(t)].Accuracy[t], Base: baseRow.Accuracy[t])).ToList();
        var findings = new List<DemoFinding>
        {
            new(
                string.Create(CultureInfo.InvariantCulture, $"each fine-tune beats base on its own task by ≥ {FineTuneMargin * 100:0} points"),
                gains.All(g => g.FineTune - g.Base >= FineTuneMargin),
                string.Join("; ", gains.Select(g => $"{g.Task}: {SkillsDemoHandler.Percent(g.FineTune)} vs {SkillsDemoHandler.Percent(g.Base)}"))),
            new(
                string.Create(CultureInfo.InvariantCulture, $"the best merge ({best.Name}) keeps ≥ {RetentionBar * 100:0} % of each fine-tune's accuracy on its task"),
                best.MinimumNormalized >= RetentionBar,
                string.Join("; ", tasks.Select(t => $"{t}: {(best.Normalized[t] is { } n ? SkillsDemoHandler.Percent(n) : "n/a")}"))),
            new(
                $"the best merge ({best.Name}) beats every single fine-tune on average over the tasks",
                fineTunes.All(f => f.Average < best.Average),
                $"{best.Name} {SkillsDemoHandler.Percent(best.Average)}; " + string.Join("; ", fineTunes.Select(f => $"{f.Name} {SkillsDemoHandler.Percent(f.Average)}"))),
        };
        return findings;
    }
}
