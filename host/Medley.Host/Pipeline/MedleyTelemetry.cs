using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Medley.Host.Pipeline;

/// <summary>The names under which Medley reports traces and metrics (both are <c>Medley</c>).</summary>
public static class MedleyTelemetry
{
    /// <summary>The ActivitySource and Meter name.</summary>
    public const string Name = "Medley";

    /// <summary>Traces: one activity per request.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    /// <summary>Metrics: request durations, token and byte counts.</summary>
    public static Meter Meter { get; } = new(Name);

    /// <summary>Duration of each request, in seconds, tagged with the request type and outcome.</summary>
    public static Histogram<double> RequestDuration { get; } =
        Meter.CreateHistogram<double>("medley.request.duration", unit: "s", description: "Time spent handling a request.");

    /// <summary>Tokens generated or scored.</summary>
    public static Counter<long> Tokens { get; } = Meter.CreateCounter<long>("medley.tokens", unit: "{token}", description: "Tokens generated or scored.");

    /// <summary>Tensor bytes read or written.</summary>
    public static Counter<long> Bytes { get; } = Meter.CreateCounter<long>("medley.bytes", unit: "By", description: "Tensor bytes processed.");
}
