using Mediator;
using Medley.Host.Hosting;
using Medley.Host.Pipeline;
using Medley.Host.Plugins;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Medley to any service collection.</summary>
public static class MedleyServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Medley host: options, the plugin catalog (loaded on first use), and the mediator with its
    /// Telemetry → Validation → Guard pipeline. Resolve <see cref="IMediator"/> and send Medley's requests.
    /// </summary>
    /// <param name="services">The collection.</param>
    /// <param name="configure">Adjusts the options (plugin directories, pins, time limit).</param>
    /// <returns>The collection.</returns>
    public static IServiceCollection AddMedley(this IServiceCollection services, Action<MedleyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        // The ONNX Runtime native library can only be chosen before ONNX Runtime is first used: claim that
        // choice now, so that a GPU device picked later by a request can still take effect.
        Medley.Host.Runtime.Devices.OnnxRuntimeNativeResolver.Shared.Install();
        var options = new MedleyOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        services.AddLogging();
        services.TryAddSingleton<PluginCatalog>();
        services.AddMediator((MediatorOptions mediator) =>
        {
            mediator.Namespace = "Medley.Host.Mediator";
            mediator.ServiceLifetime = ServiceLifetime.Singleton;
            mediator.GenerateTypesAsInternal = true;
            mediator.Assemblies = [typeof(PluginCatalog)];
            mediator.PipelineBehaviors =
            [
                typeof(TelemetryBehavior<,>),
                typeof(ValidationBehavior<,>),
                typeof(GuardBehavior<,>),
            ];
            mediator.StreamPipelineBehaviors =
            [
                typeof(StreamTelemetryBehavior<,>),
                typeof(StreamValidationBehavior<,>),
            ];
        });
        return services;
    }
}
