using System.Text.Json;
using System.Text.Json.Serialization;

namespace Medley.Host.Plugins;

/// <summary>A plugin's <c>medley-plugin.json</c>, after validation against <c>plugin-manifest.schema.json</c>.</summary>
public sealed record PluginManifest
{
    /// <summary>The file name every plugin folder carries.</summary>
    public const string FileName = "medley-plugin.json";

    /// <summary>Unique plugin id.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The plugin's SemVer 2 version.</summary>
    [JsonPropertyName("version")]
    public required string Version { get; init; }

    /// <summary>The Medley.Sdk version range the plugin was built for.</summary>
    [JsonPropertyName("sdk")]
    public required string Sdk { get; init; }

    /// <summary>The entry assembly's file name.</summary>
    [JsonPropertyName("entryAssembly")]
    public required string EntryAssembly { get; init; }

    /// <summary>The strategies the plugin declares.</summary>
    [JsonPropertyName("strategies")]
    public required IReadOnlyList<StrategyDeclaration> Strategies { get; init; }

    /// <summary>Authors.</summary>
    [JsonPropertyName("authors")]
    public IReadOnlyList<string> Authors { get; init; } = [];

    /// <summary>SPDX license expression.</summary>
    [JsonPropertyName("license")]
    public string? License { get; init; }

    /// <summary>Runtime identifiers the plugin supports; empty means any.</summary>
    [JsonPropertyName("platforms")]
    public IReadOnlyList<string> Platforms { get; init; } = [];

    /// <summary>Search tags.</summary>
    [JsonPropertyName("tags")]
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>SHA-256 digests by relative path, when the manifest carries them.</summary>
    [JsonPropertyName("files")]
    public IReadOnlyDictionary<string, string>? Files { get; init; }
}

/// <summary>One strategy as the manifest declares it.</summary>
public sealed record StrategyDeclaration
{
    /// <summary>The strategy name.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>The kind's manifest spelling (<c>merge</c>, <c>step</c>…).</summary>
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>One-line description.</summary>
    [JsonPropertyName("summary")]
    public required string Summary { get; init; }

    /// <summary>Roles models play in the strategy.</summary>
    [JsonPropertyName("roles")]
    public IReadOnlyList<RoleDeclaration> Roles { get; init; } = [];

    /// <summary>JSON Schema of the strategy's parameters, when it has any.</summary>
    [JsonPropertyName("parameters")]
    public JsonElement? Parameters { get; init; }
}

/// <summary>A role as the manifest declares it.</summary>
public sealed record RoleDeclaration
{
    /// <summary>Role name.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>Whether a run must fill it.</summary>
    [JsonPropertyName("required")]
    public bool Required { get; init; } = true;

    /// <summary>Whether several models may fill it.</summary>
    [JsonPropertyName("multiple")]
    public bool Multiple { get; init; }

    /// <summary>What it is for.</summary>
    [JsonPropertyName("summary")]
    public string? Summary { get; init; }
}
