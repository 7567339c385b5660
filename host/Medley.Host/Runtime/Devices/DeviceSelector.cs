using Medley.Host.Plugins;
using Medley.Sdk;
using Medley.Sdk.Providers;

namespace Medley.Host.Runtime.Devices;

/// <summary>
/// Turns a <c>--device</c> value into the execution provider that will run the models: the built-in CPU provider
/// or a <c>provider</c> strategy from a plugin. A provider that cannot run here is an error naming the reason,
/// never a quiet fall back to the CPU; <c>auto</c> takes the usable provider with the highest preference and says so.
/// </summary>
public sealed class DeviceSelector
{
    private readonly OnnxRuntimeNativeResolver _resolver;
    private readonly Action<string>? _verifyNativeLibraries;

    /// <summary>Creates a selector over the built-in CPU provider and the catalog's provider plugins.</summary>
    /// <param name="catalog">The plugins.</param>
    public DeviceSelector(PluginCatalog catalog)
        : this(FromCatalog(catalog), OnnxRuntimeNativeResolver.Shared)
    {
        // A provider plugin's native libraries are checked against its manifest just before they are loaded.
        _verifyNativeLibraries = catalog.VerifyNativeLibraries;
    }

    /// <summary>Creates a selector over given providers.</summary>
    /// <param name="candidates">The providers, in precedence order for equal device types.</param>
    /// <param name="resolver">Where the choice of ONNX Runtime native library is recorded.</param>
    public DeviceSelector(IEnumerable<ProviderCandidate> candidates, OnnxRuntimeNativeResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        Candidates = candidates.ToList();
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
    }

    /// <summary>Every provider known: built-in CPU first, then plugins (those that failed to load included).</summary>
    public IReadOnlyList<ProviderCandidate> Candidates { get; }

    /// <summary>The ONNX Runtime native library a provider's sessions use.</summary>
    /// <param name="candidate">The provider.</param>
    /// <returns>The library's path, or <see langword="null"/> when the runtime's default probing would find it.</returns>
    public string? NativeLibraryFor(ProviderCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return candidate.NativeLibrary ?? _resolver.LoadedLibrary ?? _resolver.DefaultLibrary;
    }

    /// <summary>Parses and selects a device; see <see cref="Select(DeviceRequest)"/>.</summary>
    /// <param name="device">The <c>--device</c> value.</param>
    /// <returns>The selection.</returns>
    public DeviceSelection Select(string? device) => Select(DeviceRequest.Parse(device));

    /// <summary>
    /// Chooses the provider and commits the process to the ONNX Runtime native library it needs. Call it before
    /// any model is loaded.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <returns>The selection, whose <see cref="DeviceSelection.ConfigureSession"/> the model loader applies.</returns>
    /// <exception cref="MedleyException">When the device is unknown or unusable here, or ONNX Runtime already runs a different library.</exception>
    public DeviceSelection Select(DeviceRequest request)
    {
        var selection = Preview(request);
        _resolver.Install();
        if (selection.Candidate.NativeLibrary is { } library)
        {
            if (selection.Candidate.PluginId is { } pluginId)
            {
                _verifyNativeLibraries?.Invoke(pluginId);
            }

            _resolver.Use(library, $"--device {request} ({selection.Candidate.Origin})");
        }

        return selection with { NativeLibrary = NativeLibraryFor(selection.Candidate) };
    }

    /// <summary>Chooses the provider without committing the process to its native library (for listings).</summary>
    /// <param name="request">The request.</param>
    /// <returns>The selection.</returns>
    /// <exception cref="MedleyException">When the device is unknown or unusable here.</exception>
    public DeviceSelection Preview(DeviceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.IsAuto ? ChooseAuto() : ChooseExplicit(request);
    }

    private DeviceSelection ChooseAuto()
    {
        var probed = Candidates.Where(c => c.Provider is not null).Select(c => (Candidate: c, Availability: c.Probe())).ToList();
        var usable = probed
            .Where(p => p.Availability.IsAvailable)
            .OrderByDescending(p => p.Candidate.Preference)
            .ThenBy(p => p.Candidate.Name, StringComparer.Ordinal)
            .ToList();
        if (usable.Count == 0)
        {
            throw new MedleyException(
                DeviceErrorCodes.Unavailable,
                $"--device auto found no usable execution provider: {DescribeUnusable(probed)}.",
                MedleyErrorKind.InvalidInput);
        }

        var (best, availability) = usable[0];
        var request = new DeviceRequest(best.DeviceType, 0);
        var device = availability.Devices.Count > 0 ? availability.Devices[0] : request.ToString();
        var unusable = probed.Where(p => !p.Availability.IsAvailable).ToList();
        var note = $"--device auto chose {request} ({best.Origin}, preference {best.Preference}): {device}"
            + (unusable.Count > 0 ? $"; not usable here: {DescribeUnusable(unusable)}" : string.Empty);
        return new DeviceSelection(request, best, availability, NativeLibraryFor(best), note);
    }

    private DeviceSelection ChooseExplicit(DeviceRequest request)
    {
        var matches = Candidates.Where(c => c.DeviceType == request.DeviceType).ToList();
        if (matches.Count == 0)
        {
            var known = Candidates.Select(c => $"{c.DeviceType} ({c.Origin})").Distinct();
            throw new MedleyException(
                DeviceErrorCodes.Unknown,
                $"--device {request}: no execution provider has device type '{request.DeviceType}'. Known: {string.Join(", ", known)}. GPU providers are plugins; 'medley providers list' shows what is installed.",
                MedleyErrorKind.InvalidInput);
        }

        var candidate = matches.FirstOrDefault(c => c.Provider is not null) ?? matches[0];
        var availability = candidate.Probe();
        if (!availability.IsAvailable)
        {
            throw new MedleyException(
                DeviceErrorCodes.Unavailable,
                $"--device {request}: the {candidate.DeviceType} execution provider ({candidate.Origin}) cannot run here: {availability.Reason}.",
                MedleyErrorKind.InvalidInput);
        }

        if (availability.Devices.Count > 0 && request.Index >= availability.Devices.Count)
        {
            throw new MedleyException(
                DeviceErrorCodes.IndexOutOfRange,
                $"--device {request}: the {candidate.DeviceType} execution provider found {availability.Devices.Count} device(s), numbered from 0: {string.Join("; ", availability.Devices)}.",
                MedleyErrorKind.InvalidInput);
        }

        var device = availability.Devices.Count > request.Index ? availability.Devices[request.Index] : request.ToString();
        return new DeviceSelection(request, candidate, availability, NativeLibraryFor(candidate), $"--device {request} ({candidate.Origin}): {device}");
    }

    private static string DescribeUnusable(IEnumerable<(ProviderCandidate Candidate, ProviderAvailability Availability)> probed) =>
        string.Join("; ", probed.Select(p => $"{p.Candidate.DeviceType}: {p.Availability.Reason}"));

    private static IEnumerable<ProviderCandidate> FromCatalog(PluginCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        yield return new ProviderCandidate("cpu", null, new CpuExecutionProvider(), null, null);
        foreach (var strategy in catalog.Strategies.Where(s => s.Kind == StrategyKind.Provider))
        {
            var plugin = catalog.GetPlugin(strategy.PluginId);
            yield return new ProviderCandidate(
                strategy.Name,
                plugin.Id,
                catalog.Resolve<IExecutionProvider>(strategy.Name),
                OnnxRuntimeNativeResolver.FindBundledLibrary(plugin.Folder),
                null);
        }

        // A provider plugin that failed to load still answers "why can't I use it?".
        var loadedNames = catalog.Strategies.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var plugin in catalog.Plugins.Where(p => p.Status is PluginStatus.Failed or PluginStatus.Unsupported && p.Manifest is not null))
        {
            foreach (var declared in plugin.Manifest!.Strategies.Where(s => s.Kind == StrategyKinds.ToName(StrategyKind.Provider) && !loadedNames.Contains(s.Name)))
            {
                yield return new ProviderCandidate(declared.Name, plugin.Id, null, null, plugin.Error?.Message ?? "unknown error");
            }
        }
    }
}
