using Mediator;
using Medley.Host.Hosting;
using Medley.Sdk;

namespace Medley.Host.Pipeline;

/// <summary>
/// Innermost behaviour: refuses to start a cancelled request and enforces a time limit (the request's own or
/// the host's default), turning an expired limit into a clear error rather than a bare cancellation.
/// </summary>
/// <typeparam name="TMessage">Request type.</typeparam>
/// <typeparam name="TResponse">Response type.</typeparam>
public sealed class GuardBehavior<TMessage, TResponse> : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    private readonly MedleyOptions _options;

    /// <summary>Creates the behaviour.</summary>
    /// <param name="options">The host's default time limit.</param>
    public GuardBehavior(MedleyOptions options) => _options = options;

    /// <inheritdoc />
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        cancellationToken.ThrowIfCancellationRequested();
        var limit = (message as ITimeLimitedRequest)?.TimeLimit ?? _options.DefaultTimeLimit;
        if (limit is null)
        {
            return await next(message, cancellationToken).ConfigureAwait(false);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit.Value);
        try
        {
            return await next(message, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MedleyException(
                "request.timeout",
                $"{typeof(TMessage).Name} did not finish within its time limit of {limit.Value.TotalSeconds:0.###} s.",
                MedleyErrorKind.Failure);
        }
    }
}
