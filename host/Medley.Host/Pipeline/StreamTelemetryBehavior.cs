using System.Diagnostics;
using System.Runtime.CompilerServices;
using Mediator;

namespace Medley.Host.Pipeline;

/// <summary>The Telemetry behaviour for streaming requests: one activity and one duration per stream.</summary>
/// <typeparam name="TMessage">Request type.</typeparam>
/// <typeparam name="TResponse">Item type.</typeparam>
public sealed class StreamTelemetryBehavior<TMessage, TResponse> : IStreamPipelineBehavior<TMessage, TResponse>
    where TMessage : IStreamMessage
{
    private static readonly string RequestName = typeof(TMessage).Name;

    /// <inheritdoc />
    public async IAsyncEnumerable<TResponse> Handle(TMessage message, StreamHandlerDelegate<TMessage, TResponse> next, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        using var activity = MedleyTelemetry.ActivitySource.StartActivity(RequestName);
        var started = Stopwatch.GetTimestamp();
        var outcome = "error";
        long items = 0;
        try
        {
            await foreach (var item in next(message, cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                items++;
                yield return item;
            }

            outcome = "ok";
        }
        finally
        {
            activity?.SetTag("medley.items", items);
            MedleyTelemetry.RequestDuration.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("request", RequestName),
                new KeyValuePair<string, object?>("outcome", cancellationToken.IsCancellationRequested ? "cancelled" : outcome));
        }
    }
}
