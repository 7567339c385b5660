namespace Medley.Host.Marketplace;

/// <summary>One place plugins are installed from: a NuGet v3 service index URL or a local folder feed.</summary>
/// <param name="Location">The URL or the folder's full path.</param>
internal sealed record PluginSource(string Location)
{
    /// <summary>Whether the source is an http(s) NuGet v3 feed rather than a folder.</summary>
    public bool IsHttp => Location.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || Location.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>A source from user text: URLs stay as they are, paths become full paths relative to <paramref name="baseDirectory"/>.</summary>
    public static PluginSource FromText(string text, string baseDirectory)
    {
        var trimmed = text.Trim();
        var source = new PluginSource(trimmed);
        return source.IsHttp ? source : new PluginSource(Path.GetFullPath(Path.Combine(baseDirectory, trimmed)));
    }
}
