using Medley.Sdk.Providers;

namespace Medley.Host.Runtime.Devices;

/// <summary>An execution provider the host knows: built in, from a loaded plugin, or declared by a plugin that failed.</summary>
/// <param name="Name">The strategy name (<c>cpu</c>, <c>cuda</c>, <c>dml</c>).</param>
/// <param name="PluginId">The plugin that provides it; <see langword="null"/> when built in.</param>
/// <param name="Provider">The provider; <see langword="null"/> when its plugin failed to load.</param>
/// <param name="NativeLibrary">The ONNX Runtime native library the plugin carries; <see langword="null"/> to use the host's.</param>
/// <param name="LoadError">Why its plugin failed to load, if it did.</param>
public sealed record ProviderCandidate(
    string Name,
    string? PluginId,
    IExecutionProvider? Provider,
    string? NativeLibrary,
    string? LoadError)
{
    /// <summary>The device type users type (the strategy name when the plugin failed to load).</summary>
    public string DeviceType => Provider?.DeviceType ?? Name;

    /// <summary>Rank for <c>--device auto</c>.</summary>
    public int Preference => Provider?.Preference ?? int.MinValue;

    /// <summary>Where it comes from, for messages: <c>built-in</c> or <c>plugin X</c>.</summary>
    public string Origin => PluginId is null ? "built-in" : $"plugin {PluginId}";

    /// <summary>Probes the provider; a plugin that failed to load is unavailable with its load error.</summary>
    /// <returns>The availability.</returns>
    public ProviderAvailability Probe()
    {
        if (Provider is null)
        {
            return ProviderAvailability.Unavailable($"its plugin failed to load: {LoadError}");
        }

        try
        {
            return Provider.Probe();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return ProviderAvailability.Unavailable($"its probe threw {ex.GetType().Name}: {ex.Message}");
        }
    }
}
