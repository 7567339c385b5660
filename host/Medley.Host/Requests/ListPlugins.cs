using Mediator;
using Medley.Host.Plugins;

namespace Medley.Host.Requests;

/// <summary>Lists every plugin found, loaded or not, in search order.</summary>
public sealed record ListPlugins : IRequest<PluginListing>;

/// <summary>The answer to <see cref="ListPlugins"/>.</summary>
/// <param name="Plugins">Every plugin found.</param>
public sealed record PluginListing(IReadOnlyList<PluginView> Plugins);

/// <summary>Handles <see cref="ListPlugins"/>.</summary>
public sealed class ListPluginsHandler : IRequestHandler<ListPlugins, PluginListing>
{
    private readonly PluginCatalog _catalog;

    /// <summary>Creates the handler.</summary>
    /// <param name="catalog">The plugins.</param>
    public ListPluginsHandler(PluginCatalog catalog) => _catalog = catalog;

    /// <inheritdoc />
    public ValueTask<PluginListing> Handle(ListPlugins request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new PluginListing(_catalog.Plugins.Select(PluginView.From).ToList()));
}
