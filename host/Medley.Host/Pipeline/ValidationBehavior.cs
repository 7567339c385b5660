using Mediator;
using Medley.Host.Plugins;
using Medley.Host.Schemas;
using Medley.Sdk;

namespace Medley.Host.Pipeline;

/// <summary>
/// Rejects a request before its handler runs when its fields are wrong or its strategy parameters break the
/// plugin's schema, listing every violation (with its JSON pointer) at once.
/// </summary>
/// <typeparam name="TMessage">Request type.</typeparam>
/// <typeparam name="TResponse">Response type.</typeparam>
public sealed class ValidationBehavior<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private readonly PluginCatalog _catalog;

    /// <summary>Creates the behaviour.</summary>
    /// <param name="catalog">Where parameter schemas come from.</param>
    public ValidationBehavior(PluginCatalog catalog) => _catalog = catalog;

    /// <inheritdoc />
    public ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        var problems = new List<string>();
        if (message is IValidatableRequest validatable)
        {
            problems.AddRange(validatable.Validate());
        }

        if (problems.Count == 0 && message is IStrategyParametersRequest withParameters)
        {
            problems.AddRange(CheckParameters(withParameters));
        }

        if (problems.Count > 0)
        {
            throw RequestProblems.Invalid(problems);
        }

        return next(message, cancellationToken);
    }

    private IEnumerable<string> CheckParameters(IStrategyParametersRequest request)
    {
        var strategy = _catalog.GetStrategy(request.StrategyName, request.StrategyKind);
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
