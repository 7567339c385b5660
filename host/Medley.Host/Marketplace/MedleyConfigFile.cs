using System.Text.Json;
using Medley.Sdk;

namespace Medley.Host.Marketplace;

/// <summary>
/// The user's <c>medley.json</c> (default <c>~/.medley/medley.json</c>): today only its <c>sources</c> array, the
/// feeds plugins may be installed from.
/// </summary>
internal static class MedleyConfigFile
{
    /// <summary>The default location of the user's configuration.</summary>
    public static string DefaultPath { get; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".medley", "medley.json");

    /// <summary>The configured sources; none when the file does not exist and was not named explicitly.</summary>
    /// <param name="path">The config file.</param>
    /// <param name="explicitlyNamed">Whether the user named it (<c>--config</c>): then it must exist.</param>
    public static IReadOnlyList<PluginSource> ReadSources(string path, bool explicitlyNamed)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return explicitlyNamed
                ? throw new MedleyException(MarketplaceErrorCodes.ConfigInvalid, $"The configuration file '{full}' named by --config does not exist.")
                : [];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(full));
        }
        catch (JsonException ex)
        {
            throw new MedleyException(MarketplaceErrorCodes.ConfigInvalid, $"{full} is not valid JSON (line {ex.LineNumber + 1}): expected an object such as {{\"sources\": [\"https://example.org/v3/index.json\"]}}.", innerException: ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new MedleyException(MarketplaceErrorCodes.ConfigInvalid, $"{full} must hold a JSON object.");
            }

            if (!document.RootElement.TryGetProperty("sources", out var sources))
            {
                return [];
            }

            if (sources.ValueKind != JsonValueKind.Array || sources.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(s.GetString())))
            {
                throw new MedleyException(MarketplaceErrorCodes.ConfigInvalid, $"{full}: field 'sources' must be an array of NuGet v3 feed URLs or folder paths.");
            }

            // Relative folder paths are relative to the file, so that a config can travel with its feed.
            var directory = Path.GetDirectoryName(full)!;
            return sources.EnumerateArray().Select(s => PluginSource.FromText(s.GetString()!, directory)).ToList();
        }
    }
}
