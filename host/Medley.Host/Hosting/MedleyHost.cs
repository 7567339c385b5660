using Mediator;
using Medley.Host.Plugins;
using Microsoft.Extensions.DependencyInjection;

namespace Medley.Host.Hosting;

/// <summary>
/// A ready Medley host for code that does not bring its own container:
/// <c>await using var medley = MedleyHost.CreateDefault();</c> then <c>await medley.Mediator.Send(...)</c>.
/// </summary>
public sealed class MedleyHost : IAsyncDisposable, IDisposable
{
    private readonly ServiceProvider _provider;

    private MedleyHost(ServiceProvider provider)
    {
        _provider = provider;
        Mediator = provider.GetRequiredService<IMediator>();
        Plugins = provider.GetRequiredService<PluginCatalog>();
    }

    /// <summary>Sends Medley's requests through the pipeline.</summary>
    public IMediator Mediator { get; }

    /// <summary>The plugins and their strategies.</summary>
    public PluginCatalog Plugins { get; }

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => _provider;

    /// <summary>Creates a host with default settings (plugins from the standard locations).</summary>
    /// <param name="configure">Adjusts the options.</param>
    /// <param name="configureServices">Adds or replaces services (logging, test doubles) before the container is built.</param>
    /// <returns>The host.</returns>
    public static MedleyHost CreateDefault(Action<MedleyOptions>? configure = null, Action<IServiceCollection>? configureServices = null)
    {
        var services = new ServiceCollection();
        services.AddMedley(configure);
        configureServices?.Invoke(services);
        return new MedleyHost(services.BuildServiceProvider());
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => _provider.Dispose();
}
