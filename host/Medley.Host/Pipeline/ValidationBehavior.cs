using Mediator;
using Medley.Host.Plugins;

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
            problems.AddRange(StrategyParameterProblems.Check(_catalog, withParameters));
        }

        if (problems.Count > 0)
        {
            throw RequestProblems.Invalid(problems);
        }

        return next(message, cancellationToken);
    }
}
