namespace Medley.Host.Demo;

/// <summary>One line of the demo table: a model, a merge or a strategy, scored on every task.</summary>
/// <param name="Name">What was evaluated (<c>base</c>, <c>ft-add</c>, <c>ties</c>, <c>speculative</c>…).</param>
/// <param name="Group"><c>model</c>, <c>fine-tune</c>, <c>merge</c> or <c>strategy</c>.</param>
/// <param name="Description">How it was made or run.</param>
/// <param name="Accuracy">Exact-match accuracy per task, in [0, 1].</param>
/// <param name="Average">Mean of <paramref name="Accuracy"/> over the tasks.</param>
/// <param name="Normalized">
/// Per task, this row's accuracy divided by the accuracy of that task's own fine-tune (the merging literature's
/// multi-task retention); null where the fine-tune scored 0.
/// </param>
/// <param name="TokensPerSecond">Generated tokens per second over the whole evaluation.</param>
/// <param name="Calls">Forward passes per model.</param>
/// <param name="Counters">The strategy's own numbers, when it has any.</param>
public sealed record DemoRow(
    string Name,
    string Group,
    string Description,
    IReadOnlyDictionary<string, double> Accuracy,
    double Average,
    IReadOnlyDictionary<string, double?> Normalized,
    double TokensPerSecond,
    IReadOnlyDictionary<string, long> Calls,
    IReadOnlyDictionary<string, double> Counters)
{
    /// <summary>The lowest normalized accuracy over the tasks (null when some task has none).</summary>
    public double? MinimumNormalized => Normalized.Values.Any(v => v is null) || Normalized.Count == 0 ? null : Normalized.Values.Min();
}
