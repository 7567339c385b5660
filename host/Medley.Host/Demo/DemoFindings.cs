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

    public static IReadOnlyList<DemoFinding> Strategies(IReadOnlyList<DemoRow> rows, IReadOnlyList<DemoStrategy> strategies, IReadOnlyDictionary<string, Evaluation.EvaluationReport> reports)
    {
        var byName = rows.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var findings = new List<DemoFinding>();
        if (strategies.FirstOrDefault(s => s.Strategy == "speculative") is { } speculative
            && speculative.ComparedWith is { } target
            && reports.TryGetValue(speculative.Name, out var fast) && reports.TryGetValue(target, out var alone))
        {
            var differing = fast.Results.Zip(alone.Results).Count(pair => pair.First.Output != pair.Second.Output);
            var speedUp = alone.TokensPerSecond > 0 ? fast.TokensPerSecond / alone.TokensPerSecond : 0;
            var acceptance = fast.Counters.GetValueOrDefault("acceptance_rate");
            findings.Add(new(
                $"speculative decoding gives exactly {target}'s greedy answers",
                differing == 0,
                string.Create(CultureInfo.InvariantCulture, $"{fast.Results.Count - differing} of {fast.Results.Count} answers identical")));
            findings.Add(new(
                $"speculative decoding is faster than {target} alone (goal ≥ 2×)",
                speedUp >= 2,
                string.Create(CultureInfo.InvariantCulture, $"{fast.TokensPerSecond:0} vs {alone.TokensPerSecond:0} tok/s = {speedUp:0.00}×; acceptance rate {acceptance:0.00} (mean over items); target calls {fast.Calls.GetValueOrDefault(target)} vs {alone.Calls.GetValueOrDefault(target)}")));
        }

        foreach (var strategy in strategies.Where(s => s.Strategy != "speculative"))
        {
            if (!byName.TryGetValue(strategy.Name, out var row))
            {
                continue;
            }

            if (strategy.ComparedWith is null)
            {
                var members = strategy.Models.Distinct(StringComparer.Ordinal).Where(byName.ContainsKey).Select(m => byName[m]).ToList();
                var bestMember = members.OrderByDescending(m => m.Average).First();
                findings.Add(new(
                    $"{strategy.Name} of differently-skilled members is more accurate on average than its best member",
                    row.Average > bestMember.Average,
                    $"{SkillsDemoHandler.Percent(row.Average)} vs {bestMember.Name} {SkillsDemoHandler.Percent(bestMember.Average)}; members: {string.Join(", ", members.Select(m => $"{m.Name} {SkillsDemoHandler.Percent(m.Average)}"))}"));
            }
            else if (byName.TryGetValue(strategy.ComparedWith, out var reference))
            {
                var (mine, theirs, scope) = strategy.FocusTask is { } task
                    ? (row.Accuracy[task], reference.Accuracy[task], $"on {task}")
                    : (row.Average, reference.Average, "on average");
                findings.Add(new(
                    $"{strategy.Name} is more accurate {scope} than {strategy.ComparedWith} alone",
                    mine > theirs,
                    $"{SkillsDemoHandler.Percent(mine)} vs {SkillsDemoHandler.Percent(theirs)} {scope} (means over all tasks: {SkillsDemoHandler.Percent(row.Average)} vs {SkillsDemoHandler.Percent(reference.Average)})"));
            }
        }

        return findings;
    }

    public static IReadOnlyList<DemoFinding> Responses(
        IReadOnlyList<string> fineTunes, IReadOnlyList<DemoRow> rows, IReadOnlyDictionary<string, Evaluation.EvaluationReport> reports, double cascadeThreshold)
    {
        var byName = rows.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var findings = new List<DemoFinding>();
        if (byName.TryGetValue("router", out var router))
        {
            var members = ((string[])["base", .. fineTunes]).Where(byName.ContainsKey).Select(m => byName[m]).ToList();
            findings.Add(new(
                "router (rules by task) is at least as accurate on average as every one of its members",
                members.All(m => router.Average >= m.Average),
                $"router {SkillsDemoHandler.Percent(router.Average)}; " + string.Join("; ", members.Select(m => $"{m.Name} {SkillsDemoHandler.Percent(m.Average)}"))));
        }

        var model = DemoResponseRun.VotedModel;
        if (byName.TryGetValue("vote", out var vote) && byName.TryGetValue("vote-1", out var voteOne)
            && byName.TryGetValue("sample", out var sample) && byName.TryGetValue(model, out var greedy))
        {
            var differing = reports["vote-1"].Results.Zip(reports["sample"].Results).Count(pair => pair.First.Output != pair.Second.Output);
            findings.Add(new(
                $"vote over 1 sample answers exactly as one sample of {model} (same seed and temperature)",
                differing == 0,
                $"{reports["vote-1"].Results.Count - differing} of {reports["vote-1"].Results.Count} answers identical"));
            findings.Add(new(
                string.Create(CultureInfo.InvariantCulture, $"vote over {DemoResponseRun.VoteSamples} samples of {model} is more accurate than one sample at the same temperature ({DemoResponseRun.VoteTemperature})"),
                vote.Average > sample.Average,
                $"{SkillsDemoHandler.Percent(vote.Average)} vs {SkillsDemoHandler.Percent(sample.Average)}; " + string.Join("; ", vote.Accuracy.Keys.Select(t => $"{t}: {SkillsDemoHandler.Percent(vote.Accuracy[t])} vs {SkillsDemoHandler.Percent(sample.Accuracy[t])}"))));
            findings.Add(new(
                $"vote over {DemoResponseRun.VoteSamples} samples of {model} is more accurate than {model}'s greedy answer",
                vote.Average > greedy.Average,
                $"{SkillsDemoHandler.Percent(vote.Average)} vs greedy {SkillsDemoHandler.Percent(greedy.Average)}"));
        }

        if (byName.TryGetValue("cascade", out var cascade) && byName.TryGetValue("large", out var large) && byName.TryGetValue("small", out var small))
        {
            var calls = cascade.Calls;
            var asked = calls.GetValueOrDefault("small");
            var escalated = calls.GetValueOrDefault("large");
            var share = asked > 0 ? (double)escalated / asked : 0;
            findings.Add(new(
                "cascade small → large keeps large's accuracy while asking large for only part of the requests",
                cascade.Average >= large.Average && share < 1,
                string.Create(CultureInfo.InvariantCulture, $"cascade {SkillsDemoHandler.Percent(cascade.Average)} vs large {SkillsDemoHandler.Percent(large.Average)} (small {SkillsDemoHandler.Percent(small.Average)}); {escalated} of {asked} requests escalated ({SkillsDemoHandler.Percent(share)}, target {SkillsDemoHandler.Percent(DemoResponseRun.CascadeEscalationTarget)}); threshold mean log p {cascadeThreshold:0.000} calibrated on small's confidence")));
        }

        return findings;
    }
}
