using Medley.Host.Hosting;

namespace Medley.Host.Plugins;

/// <summary>The ordered list of places plugins are looked for.</summary>
public static class PluginSearchPath
{
    /// <summary>
    /// The search order: explicit directories, then <c>MEDLEY_PLUGIN_PATH</c>, then the user's folder, then the
    /// folder beside the host. Earlier entries shadow later plugins with the same id.
    /// </summary>
    /// <param name="options">The host's options.</param>
    /// <returns>(directory, source label) pairs; missing directories are kept and skipped by discovery.</returns>
    public static IReadOnlyList<(string Directory, string Source)> Resolve(MedleyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var result = new List<(string, string)>();
        foreach (var dir in options.PluginDirectories)
        {
            result.Add((Path.GetFullPath(dir), "--plugins"));
        }

        if (options.UseDefaultPluginLocations)
        {
            var fromEnvironment = Environment.GetEnvironmentVariable(MedleyOptions.PluginPathVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                foreach (var dir in fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    result.Add((Path.GetFullPath(dir), MedleyOptions.PluginPathVariable));
                }
            }

            result.Add((Path.GetFullPath(options.UserPluginDirectory), "user"));
            result.Add((Path.GetFullPath(options.BundledPluginDirectory), "bundled"));
        }

        return result;
    }

    /// <summary>Plugin folders under a search directory: the directory itself when it holds a manifest, else its subfolders that do.</summary>
    /// <param name="directory">A search directory.</param>
    /// <returns>Plugin folders, sorted by name for a stable order.</returns>
    public static IEnumerable<string> FindPluginFolders(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        if (File.Exists(Path.Combine(directory, PluginManifest.FileName)))
        {
            return [directory];
        }

        return Directory.EnumerateDirectories(directory)
            .Where(d => File.Exists(Path.Combine(d, PluginManifest.FileName)) || Directory.EnumerateFiles(d, "*.dll").Any())
            .OrderBy(d => d, StringComparer.Ordinal);
    }
}
