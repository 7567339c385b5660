using Medley.Host.Plugins;
using Medley.Host.Schemas;

namespace Medley.Host.Pipeline;

/// <summary>Checks a request's strategy parameters against the plugin's schema (shared by the plain and streaming pipelines).</summary>
internal static class StrategyParameterProblems
{
    public static IEnumerable<string> Check(PluginCatalog catalog, IStrategyParametersRequest request)
    {
        var strategy = catalog.GetStrategy(request.StrategyName, request.StrategyKind);
        if (request.Parameters.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return [$"parameters of strategy '{strategy.Name}' must be an object, not {request.Parameters.ValueKind.ToString().ToLowerInvariant()}"];
        }

        if (strategy.ParametersSchema is not { } schemaElement)
        {
            return request.Parameters.EnumerateObject().Any()
                ? [$"strategy '{strategy.Name}' takes no parameters, but {string.Join(", ", request.Parameters.EnumerateObject().Select(p => $"'{p.Name}'"))} were given"]
                : [];
        }

        var schema = JsonSchemaChecker.Build(schemaElement);
        return JsonSchemaChecker.Evaluate(schema, request.Parameters)
            .Select(problem => $"parameters of strategy '{strategy.Name}' at {problem}");
    }
}
