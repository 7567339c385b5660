using NuGet.Versioning;

namespace Medley.Host.Plugins;

/// <summary>Which Medley.Sdk version this host implements, and whether a plugin's declared range accepts it.</summary>
public static class SdkCompatibility
{
    /// <summary>The SDK version this host provides to plugins (the Medley.Sdk assembly's informational version).</summary>
    public static NuGetVersion HostSdkVersion { get; } = NuGetVersion.Parse(
        typeof(Medley.Sdk.IMedleyStrategy).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "0.0.0");

    /// <summary>Parses a manifest's <c>sdk</c> field: NuGet range notation, or a bare minimum version.</summary>
    /// <param name="text">The field's text.</param>
    /// <param name="range">The range when it parses.</param>
    /// <returns><see langword="true"/> when the text is a valid range.</returns>
    public static bool TryParseRange(string text, out VersionRange range)
    {
        if (VersionRange.TryParse(text, out var parsed) && parsed is not null)
        {
            range = parsed;
            return true;
        }

        range = VersionRange.None;
        return false;
    }
}
