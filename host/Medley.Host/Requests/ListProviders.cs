using Mediator;
using Medley.Host.Plugins;
using Medley.Host.Runtime.Devices;
using Medley.Sdk;

namespace Medley.Host.Requests;

/// <summary>Lists every execution provider (built-in CPU and provider plugins), whether it can run here and why not.</summary>
public sealed record ListProviders : IRequest<ProviderListing>;

/// <summary>One execution provider in a listing.</summary>
/// <param name="Name">Strategy name.</param>
/// <param name="DeviceType">What users type in <c>--device</c>.</param>
/// <param name="Origin"><c>built-in</c> or <c>plugin ID</c>.</param>
/// <param name="Preference">Rank for <c>--device auto</c> (<see langword="null"/> when its plugin failed to load).</param>
/// <param name="Usable">Whether sessions can run on it here.</param>
/// <param name="Reason">Why not, or a note when usable.</param>
/// <param name="Devices">Devices found.</param>
/// <param name="NativeLibrary">The ONNX Runtime native library its sessions would use.</param>
public sealed record ProviderView(
    string Name,
    string DeviceType,
    string Origin,
    int? Preference,
    bool Usable,
    string? Reason,
    IReadOnlyList<string> Devices,
    string? NativeLibrary);

/// <summary>The answer to <see cref="ListProviders"/>.</summary>
/// <param name="Providers">Every provider, highest preference first.</param>
/// <param name="Auto">What <c>--device auto</c> would choose, and why; or why nothing is usable.</param>
/// <param name="LoadedNativeLibrary">The ONNX Runtime native library this process already loaded, if any.</param>
public sealed record ProviderListing(IReadOnlyList<ProviderView> Providers, string Auto, string? LoadedNativeLibrary);

/// <summary>Handles <see cref="ListProviders"/>.</summary>
public sealed class ListProvidersHandler : IRequestHandler<ListProviders, ProviderListing>
{
    private readonly PluginCatalog _catalog;

    /// <summary>Creates the handler.</summary>
    /// <param name="catalog">The plugins.</param>
    public ListProvidersHandler(PluginCatalog catalog) => _catalog = catalog;

    /// <inheritdoc />
    public ValueTask<ProviderListing> Handle(ListProviders request, CancellationToken cancellationToken)
    {
        var selector = new DeviceSelector(_catalog);
        var views = selector.Candidates
            .Select(c => (Candidate: c, Availability: c.Probe()))
            .OrderByDescending(p => p.Candidate.Preference)
            .ThenBy(p => p.Candidate.Name, StringComparer.Ordinal)
            .Select(p => new ProviderView(
                p.Candidate.Name,
                p.Candidate.DeviceType,
                p.Candidate.Origin,
                p.Candidate.Provider?.Preference,
                p.Availability.IsAvailable,
                p.Availability.Reason,
                p.Availability.Devices,
                p.Candidate.Provider is null ? null : selector.NativeLibraryFor(p.Candidate)))
            .ToList();
        string auto;
        try
        {
            auto = selector.Preview(DeviceRequest.Auto).Note;
        }
        catch (MedleyException ex)
        {
            auto = ex.Message;
        }

        return ValueTask.FromResult(new ProviderListing(views, auto, OnnxRuntimeNativeResolver.Shared.LoadedLibrary));
    }
}
