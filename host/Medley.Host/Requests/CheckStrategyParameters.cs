using System.Text.Json;
using Mediator;
using Medley.Host.Pipeline;
using Medley.Host.Plugins;
using Medley.Sdk;

namespace Medley.Host.Requests;

/// <summary>
/// Checks a parameter block against a strategy's schema (the Validation behaviour does the checking) and
/// returns it with the schema's defaults filled in: what the strategy would receive.
/// </summary>
/// <param name="StrategyName">The strategy.</param>
/// <param name="Parameters">The parameters (a JSON object).</param>
public sealed record CheckStrategyParameters(string StrategyName, JsonElement Parameters)
    : IRequest<CheckedParameters>, IStrategyParametersRequest
{
    /// <inheritdoc />
    public StrategyKind? StrategyKind => null;
}

/// <summary>The answer to <see cref="CheckStrategyParameters"/>.</summary>
/// <param name="Strategy">The strategy name.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="PluginId">The plugin providing it.</param>
/// <param name="Effective">The parameters with defaults filled in.</param>
public sealed record CheckedParameters(string Strategy, string Kind, string PluginId, JsonElement Effective);

/// <summary>Handles <see cref="CheckStrategyParameters"/>.</summary>
public sealed class CheckStrategyParametersHandler : IRequestHandler<CheckStrategyParameters, CheckedParameters>
{
    private readonly PluginCatalog _catalog;

    /// <summary>Creates the handler.</summary>
    /// <param name="catalog">The plugins.</param>
    public CheckStrategyParametersHandler(PluginCatalog catalog) => _catalog = catalog;

    /// <inheritdoc />
    public ValueTask<CheckedParameters> Handle(CheckStrategyParameters request, CancellationToken cancellationToken)
    {
        // Resolving constructs nothing new (strategies are singletons) but proves the strategy is usable.
        _ = _catalog.Resolve<IMedleyStrategy>(request.StrategyName);
        var descriptor = _catalog.GetStrategy(request.StrategyName);
        var effective = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var parameter in ParameterView.FromSchema(descriptor.ParametersSchema))
        {
            if (parameter.Default is not null)
            {
                effective[parameter.Name] = JsonDocument.Parse(parameter.Default).RootElement.Clone();
            }
        }

        foreach (var given in request.Parameters.EnumerateObject())
        {
            effective[given.Name] = given.Value.Clone();
        }

        var json = JsonSerializer.SerializeToElement(effective);
        return ValueTask.FromResult(new CheckedParameters(descriptor.Name, StrategyKinds.ToName(descriptor.Kind), descriptor.PluginId, json));
    }
}
