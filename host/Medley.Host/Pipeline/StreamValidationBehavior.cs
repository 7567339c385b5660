using System.Runtime.CompilerServices;
using Mediator;

namespace Medley.Host.Pipeline;

/// <summary>The Validation behaviour for streaming requests: every field problem at once, before the first item.</summary>
/// <typeparam name="TMessage">Request type.</typeparam>
/// <typeparam name="TResponse">Item type.</typeparam>
public sealed class StreamValidationBehavior<TMessage, TResponse> : IStreamPipelineBehavior<TMessage, TResponse>
    where TMessage : IStreamMessage
{
    /// <inheritdoc />
    public async IAsyncEnumerable<TResponse> Handle(TMessage message, StreamHandlerDelegate<TMessage, TResponse> next, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        cancellationToken.ThrowIfCancellationRequested();
        if (message is IValidatableRequest validatable && validatable.Validate().ToList() is { Count: > 0 } problems)
        {
            throw RequestProblems.Invalid(problems);
        }

        await foreach (var item in next(message, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }
}
