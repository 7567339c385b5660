using System.Text.Json;
using Medley.Sdk;

namespace Medley.Host.Pipeline;

/// <summary>A request that runs a strategy with parameters; the pipeline checks them against the plugin's schema.</summary>
public interface IStrategyParametersRequest
{
    /// <summary>The strategy's name.</summary>
    string StrategyName { get; }

    /// <summary>The kind the strategy must be, if the request needs one.</summary>
    StrategyKind? StrategyKind { get; }

    /// <summary>The parameters as given by the user (a JSON object).</summary>
    JsonElement Parameters { get; }
}
