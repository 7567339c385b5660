using System.Collections.Concurrent;

namespace Medley.Sdk;

/// <summary>
/// Named numbers a strategy reports about its own work (acceptance rate, calls per member, escalations…).
/// Thread-safe: members that run in parallel may report at once.
/// </summary>
public sealed class StrategyCounters
{
    private readonly ConcurrentDictionary<string, double> _values = new(StringComparer.Ordinal);

    /// <summary>A snapshot of every counter, sorted by name.</summary>
    public IReadOnlyDictionary<string, double> Snapshot() =>
        new SortedDictionary<string, double>(_values, StringComparer.Ordinal);

    /// <summary>Adds <paramref name="amount"/> to a counter (created at zero).</summary>
    /// <param name="name">Counter name, e.g. <c>target_calls</c>.</param>
    /// <param name="amount">How much to add.</param>
    public void Add(string name, double amount = 1) => _values.AddOrUpdate(name, amount, (_, old) => old + amount);

    /// <summary>Sets a counter to a value (for rates and averages computed by the strategy).</summary>
    /// <param name="name">Counter name.</param>
    /// <param name="value">The value.</param>
    public void Set(string name, double value) => _values[name] = value;

    /// <summary>Reads a counter.</summary>
    /// <param name="name">Counter name.</param>
    /// <returns>The value, or zero when never set.</returns>
    public double Get(string name) => _values.TryGetValue(name, out var value) ? value : 0;
}
