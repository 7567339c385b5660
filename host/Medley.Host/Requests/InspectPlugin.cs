using Mediator;
using Medley.Host.Pipeline;
using Medley.Host.Plugins;
using Medley.Sdk;

namespace Medley.Host.Requests;

/// <summary>Describes one plugin in full, found by plugin id or by the name of a strategy it provides.</summary>
/// <param name="IdOrStrategy">A plugin id or a strategy name.</param>
public sealed record InspectPlugin(string IdOrStrategy) : IRequest<PluginDetails>, IValidatableRequest
{
    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(IdOrStrategy))
        {
            yield return "field 'idOrStrategy' is empty: expected a plugin id or a strategy name";
        }
    }
}

/// <summary>The answer to <see cref="InspectPlugin"/>.</summary>
/// <param name="Plugin">The plugin's listing entry.</param>
/// <param name="Sdk">The SDK range it was built for.</param>
/// <param name="EntryAssembly">Its entry assembly.</param>
/// <param name="Authors">Authors.</param>
/// <param name="License">License.</param>
/// <param name="Platforms">Supported platforms (empty: any).</param>
/// <param name="Tags">Tags.</param>
/// <param name="Strategies">Each strategy in full.</param>
public sealed record PluginDetails(
    PluginView Plugin,
    string? Sdk,
    string? EntryAssembly,
    IReadOnlyList<string> Authors,
    string? License,
    IReadOnlyList<string> Platforms,
    IReadOnlyList<string> Tags,
    IReadOnlyList<StrategyDetailView> Strategies);

/// <summary>Handles <see cref="InspectPlugin"/>.</summary>
public sealed class InspectPluginHandler : IRequestHandler<InspectPlugin, PluginDetails>
{
    private readonly PluginCatalog _catalog;

    /// <summary>Creates the handler.</summary>
    /// <param name="catalog">The plugins.</param>
    public InspectPluginHandler(PluginCatalog catalog) => _catalog = catalog;

    /// <inheritdoc />
    public ValueTask<PluginDetails> Handle(InspectPlugin request, CancellationToken cancellationToken)
    {
        var record = _catalog.Plugins.FirstOrDefault(p => p.Status != PluginStatus.Shadowed && string.Equals(p.Id, request.IdOrStrategy, StringComparison.OrdinalIgnoreCase))
            ?? (_catalog.TryGetStrategy(request.IdOrStrategy, out var strategy) ? _catalog.GetPlugin(strategy.PluginId) : null)
            ?? _catalog.Plugins.FirstOrDefault(p => p.Manifest?.Strategies.Any(s => s.Name == request.IdOrStrategy) == true)
            ?? throw new MedleyException(
                PluginErrorCodes.PluginUnknown,
                $"No plugin has id '{request.IdOrStrategy}' and no strategy has that name. Run 'medley plugins list' to see what is installed.");
        var manifest = record.Manifest;
        var strategies = (manifest?.Strategies ?? [])
            .Select(s => new StrategyDetailView(
                s.Name,
                s.Kind,
                s.Summary,
                s.Roles.Select(r => new StrategyRole(r.Name, r.Required, r.Multiple, r.Summary)).ToList(),
                ParameterView.FromSchema(s.Parameters),
                s.Parameters))
            .ToList();
        return ValueTask.FromResult(new PluginDetails(
            PluginView.From(record),
            manifest?.Sdk,
            manifest?.EntryAssembly,
            manifest?.Authors ?? [],
            manifest?.License,
            manifest?.Platforms ?? [],
            manifest?.Tags ?? [],
            strategies));
    }
}
