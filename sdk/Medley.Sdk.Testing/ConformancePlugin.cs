using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Medley.Sdk.Testing;

/// <summary>A plugin folder that passed <see cref="PluginConformance.CheckManifest"/>, loaded the way the host loads it.</summary>
public sealed class ConformancePlugin
{
    private readonly Dictionary<string, ConformanceStrategy> _strategies;

    internal ConformancePlugin(string id, string folder, Assembly assembly, IReadOnlyList<ConformanceStrategy> strategies)
    {
        Id = id;
        Folder = folder;
        Assembly = assembly;
        Strategies = strategies;
        _strategies = strategies.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>The plugin's id from its manifest.</summary>
    public string Id { get; }

    /// <summary>The plugin's folder.</summary>
    public string Folder { get; }

    /// <summary>The entry assembly, loaded in its own load context.</summary>
    public Assembly Assembly { get; }

    /// <summary>Every strategy the manifest declares, in manifest order.</summary>
    public IReadOnlyList<ConformanceStrategy> Strategies { get; }

    /// <summary>
    /// Creates a strategy the way the host's container does for the common cases: a public parameterless constructor,
    /// or one taking only <see cref="ILoggerFactory"/>, <see cref="ILogger{TCategoryName}"/> and <see cref="TimeProvider"/>.
    /// </summary>
    /// <param name="name">The strategy's name.</param>
    /// <returns>A new instance.</returns>
    /// <exception cref="ArgumentException">When the plugin declares no such strategy.</exception>
    /// <exception cref="ConformanceException">When no constructor can be satisfied or the constructor throws.</exception>
    public IMedleyStrategy CreateStrategy(string name)
    {
        if (!_strategies.TryGetValue(name, out var strategy))
        {
            throw new ArgumentException($"Plugin '{Id}' declares no strategy '{name}'; it declares: {string.Join(", ", _strategies.Keys)}.", nameof(name));
        }

        var violations = new ViolationList();
        var instance = StrategyActivator.TryCreate(strategy.Type, violations);
        violations.ThrowIfAny($"strategy '{name}' of plugin '{Id}'");
        return instance!;
    }
}
