using System.Text.Json;
using System.Text.Json.Serialization;
using Medley.Sdk;

namespace Medley.Host.Marketplace;

/// <summary>
/// <c>medley.lock.json</c>: what <c>medley plugin install</c> put into a plugin directory. It lives beside that
/// directory (for <c>~/.medley/plugins</c>, in <c>~/.medley/medley.lock.json</c>) and names the directory it pins,
/// so a lock never applies to a folder it was not written for.
/// </summary>
internal sealed record PluginLock
{
    public const string FileName = "medley.lock.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    [JsonPropertyName("lockVersion")]
    public int LockVersion { get; init; } = 1;

    /// <summary>The full path of the plugin directory this lock pins.</summary>
    [JsonPropertyName("pluginDirectory")]
    public required string PluginDirectory { get; init; }

    [JsonPropertyName("plugins")]
    public List<PluginLockEntry> Plugins { get; init; } = [];

    /// <summary>Where the lock of a plugin directory lives: beside it.</summary>
    public static string PathFor(string pluginDirectory)
    {
        var full = Path.GetFullPath(pluginDirectory).TrimEnd(Path.DirectorySeparatorChar);
        return Path.Combine(Path.GetDirectoryName(full) ?? full, FileName);
    }

    public PluginLockEntry? Find(string id) =>
        Plugins.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The lock of a plugin directory, or an empty one when none was written for it.</summary>
    public static PluginLock ReadOrEmpty(string pluginDirectory) =>
        TryRead(pluginDirectory) ?? new PluginLock { PluginDirectory = Normalize(pluginDirectory) };

    /// <summary>The lock written for this plugin directory; <see langword="null"/> when there is none.</summary>
    public static PluginLock? TryRead(string pluginDirectory)
    {
        var path = PathFor(pluginDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        PluginLock? read;
        try
        {
            read = JsonSerializer.Deserialize<PluginLock>(File.ReadAllBytes(path), Options);
        }
        catch (JsonException ex)
        {
            throw new MedleyException(MarketplaceErrorCodes.LockInvalid, $"{path} is not a valid lock file ({ex.Message}); restore it or delete it and reinstall the plugins it listed.", innerException: ex);
        }

        if (read is null || read.Plugins.Any(p => p is null || p.Id is null || p.Files is null || p.Folder is null))
        {
            throw new MedleyException(MarketplaceErrorCodes.LockInvalid, $"{path} is not a valid lock file: every entry needs id, version, source, packageSha512, folder and files.");
        }

        return string.Equals(read.PluginDirectory, Normalize(pluginDirectory), StringComparison.Ordinal) ? read : null;
    }

    /// <summary>Writes the lock atomically: a temporary file beside it, then a rename over the old one.</summary>
    public void Write()
    {
        var path = PathFor(PluginDirectory);
        var temporary = path + $".{Guid.NewGuid():N}.tmp";
        var sorted = this with { Plugins = [.. Plugins.OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase)] };
        try
        {
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(sorted, Options));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public static string Normalize(string pluginDirectory) => Path.GetFullPath(pluginDirectory).TrimEnd(Path.DirectorySeparatorChar);
}
