using BenchmarkDotNet.Attributes;
using Mediator;
using Medley.Host.Hosting;
using Medley.Host.Plugins;
using Medley.Host.Requests;
using Microsoft.Extensions.DependencyInjection;

namespace Medley.Benchmarks;

/// <summary>
/// What the mediator pipeline (Telemetry → Validation → Guard) costs per request: <c>ListPlugins</c> sent
/// through <see cref="IMediator"/> against the same handler called directly, over the same loaded catalog.
/// </summary>
[MemoryDiagnoser]
public class PipelineOverheadBenchmarks
{
    private MedleyHost _host = null!;
    private IMediator _mediator = null!;
    private ListPluginsHandler _handler = null!;
    private readonly ListPlugins _request = new();

    [GlobalSetup]
    public void Setup()
    {
        _host = MedleyHost.CreateDefault(options =>
        {
            options.UseDefaultPluginLocations = false;
            options.PluginDirectories.Add(Path.Combine(AppContext.BaseDirectory, "plugins"));
        });
        _mediator = _host.Mediator;
        var catalog = _host.Services.GetRequiredService<PluginCatalog>();
        _ = catalog.Plugins;
        _handler = new ListPluginsHandler(catalog);
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark(Baseline = true)]
    public ValueTask<PluginListing> HandlerDirectly() => _handler.Handle(_request, CancellationToken.None);

    [Benchmark]
    public ValueTask<PluginListing> ThroughMediator() => _mediator.Send(_request, CancellationToken.None);
}
