using System.Runtime.CompilerServices;
using Mediator;
using Medley.Host.Plugins;

namespace Medley.Host.Pipeline;

/// <summary>The Validation behaviour for streaming requests: every field problem at once, before the first item.</summary>
/// <typeparam name="TMessage">Request type.</typeparam>
/// <typeparam name="TResponse">Item type.</typeparam>
public sealed class StreamValidationBehavior<TMessage, TResponse> : IStreamPipelineBehavior<TMessage, TResponse>
    where TMessage : IStreamMessage
{
    private readonly PluginCatalog _catalog;

    /// <summary>Creates the behaviour.</summary>
    /// <param name="catalog">Where parameter schemas come from.</param>
    public StreamValidationBehavior(PluginCatalog catalog) => _catalog = catalog;

    /// <inheritdoc />
    public async IAsyncEnumerable<TResponse> Handle(TMessage message, StreamHandlerDelegate<TMessage, TResponse> next, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        cancellationToken.ThrowIfCancellationRequested();
        var problems = message is IValidatableRequest validatable ? validatable.Validate().ToList() : [];
        if (problems.Count == 0 && message is IStrategyParametersRequest withParameters)
        {
            problems.AddRange(StrategyParameterProblems.Check(_catalog, withParameters));
        }

        if (problems.Count > 0)
        {
            throw RequestProblems.Invalid(problems);
        }

        await foreach (var item in next(message, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }
}
