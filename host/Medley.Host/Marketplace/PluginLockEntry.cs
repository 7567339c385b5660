using System.Text.Json.Serialization;

namespace Medley.Host.Marketplace;

/// <summary>One installed plugin as <c>medley.lock.json</c> pins it.</summary>
internal sealed record PluginLockEntry
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("version")]
    public required string Version { get; init; }

    /// <summary>The feed it was installed from.</summary>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>SHA-512 of the .nupkg, lower-case hex.</summary>
    [JsonPropertyName("packageSha512")]
    public required string PackageSha512 { get; init; }

    /// <summary>The plugin's folder name inside the plugin directory.</summary>
    [JsonPropertyName("folder")]
    public required string Folder { get; init; }

    /// <summary>SHA-256 of every file install wrote, by forward-slash path relative to the folder.</summary>
    [JsonPropertyName("files")]
    public required SortedDictionary<string, string> Files { get; init; }
}
