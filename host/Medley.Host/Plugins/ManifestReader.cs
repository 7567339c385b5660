using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using Medley.Host.Schemas;
using Medley.Sdk;

namespace Medley.Host.Plugins;

/// <summary>
/// Reads and validates <c>medley-plugin.json</c> against <c>plugin-manifest.schema.json</c> and the rules a
/// schema cannot express. Nothing of the plugin's code is touched here.
/// </summary>
public static partial class ManifestReader
{
    private static readonly Lazy<JsonSchema> ManifestSchema = new(LoadManifestSchema);

    private static readonly JsonSerializerOptions ReadOptions = new() { PropertyNameCaseInsensitive = false };

    /// <summary>The manifest schema's text, as shipped with the host.</summary>
    public static string ManifestSchemaText { get; } = ReadEmbeddedSchema();

    /// <summary>Reads and validates the manifest of a plugin folder.</summary>
    /// <param name="folder">The plugin folder.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="MedleyException">Listing every problem found.</exception>
    public static PluginManifest Read(string folder)
    {
        var path = Path.Combine(folder, PluginManifest.FileName);
        if (!File.Exists(path))
        {
            throw new MedleyException(
                PluginErrorCodes.ManifestMissing,
                $"Plugin folder '{folder}' has no {PluginManifest.FileName}: every plugin folder must carry one.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException ex)
        {
            throw new MedleyException(
                PluginErrorCodes.ManifestNotJson,
                $"{path} is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): expected a JSON object as described by plugin-manifest.schema.json.",
                innerException: ex);
        }

        using (document)
        {
            var root = document.RootElement;
            var problems = new List<string>();
            var claimed = new HashSet<string>(StringComparer.Ordinal);
            CheckFriendlyFields(root, problems, claimed);
            foreach (var problem in JsonSchemaChecker.Evaluate(ManifestSchema.Value, root))
            {
                var pointer = problem[..problem.IndexOf(':', StringComparison.Ordinal)];
                if (!claimed.Contains(pointer))
                {
                    problems.Add(DescribePointer(pointer) + problem[pointer.Length..]);
                }
            }

            if (problems.Count > 0)
            {
                throw Invalid(path, problems);
            }

            // Cloned: the parameter schemas inside must outlive this document.
            var manifest = root.Clone().Deserialize<PluginManifest>(ReadOptions)
                ?? throw Invalid(path, ["the manifest is null"]);

            if (!SdkCompatibility.TryParseRange(manifest.Sdk, out _))
            {
                problems.Add($"field 'sdk': '{manifest.Sdk}' is not a version range (expected NuGet range notation such as '[0.1.0, 0.2.0)' or a minimum version such as '0.1.0')");
            }

            for (var i = 0; i < manifest.Strategies.Count; i++)
            {
                var strategy = manifest.Strategies[i];
                if (strategy.Parameters is { } schema)
                {
                    var schemaProblems = JsonSchemaChecker.CheckSchema(schema);
                    if (schemaProblems.Count > 0)
                    {
                        problems.Add($"field 'strategies[{i}].parameters' (strategy '{strategy.Name}') is not a valid JSON Schema 2020-12: {string.Join("; ", schemaProblems)}");
                    }
                }

                for (var j = 0; j < i; j++)
                {
                    if (manifest.Strategies[j].Name == strategy.Name)
                    {
                        problems.Add($"field 'strategies[{i}].name': strategy '{strategy.Name}' is declared twice (also strategies[{j}])");
                    }
                }
            }

            if (problems.Count > 0)
            {
                throw Invalid(path, problems);
            }

            return manifest;
        }
    }

    /// <summary>Whether a text is a SemVer 2.0.0 version.</summary>
    /// <param name="text">The text.</param>
    /// <returns><see langword="true"/> for a valid version.</returns>
    public static bool IsSemVer(string text) => SemVerPattern().IsMatch(text);

    private static readonly (string Field, string Expected)[] RequiredFields =
    [
        ("id", "the plugin id, e.g. 'Acme.Merging.Foo'"),
        ("version", "a SemVer 2.0.0 version, e.g. '1.0.0'"),
        ("sdk", "the Medley.Sdk versions the plugin works with, e.g. '[0.1.0, 0.2.0)'"),
        ("entryAssembly", "the entry assembly's file name, e.g. 'Acme.Merging.Foo.dll'"),
        ("strategies", "the list of strategies the plugin provides"),
    ];

    private static void CheckFriendlyFields(JsonElement root, List<string> problems, HashSet<string> claimed)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"the manifest must be a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}");
            claimed.Add("/");
            return;
        }

        foreach (var (field, expected) in RequiredFields)
        {
            if (!root.TryGetProperty(field, out _))
            {
                problems.Add($"field '{field}' is missing (expected {expected})");
                claimed.Add("/");
            }
        }

        if (root.TryGetProperty("version", out var version) && version.ValueKind == JsonValueKind.String && !IsSemVer(version.GetString()!))
        {
            problems.Add($"field 'version': '{version.GetString()}' is not a SemVer 2.0.0 version (expected MAJOR.MINOR.PATCH with optional -PRERELEASE and +BUILD, e.g. '1.2.0' or '1.2.0-beta.1')");
            claimed.Add("/version");
        }

        if (root.TryGetProperty("strategies", out var strategies) && strategies.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var strategy in strategies.EnumerateArray())
            {
                if (strategy.ValueKind == JsonValueKind.Object
                    && strategy.TryGetProperty("kind", out var kind)
                    && kind.ValueKind == JsonValueKind.String
                    && !StrategyKinds.TryParse(kind.GetString(), out _))
                {
                    problems.Add($"field 'strategies[{index}].kind': '{kind.GetString()}' is not a strategy kind (expected one of {string.Join(", ", StrategyKinds.Names)})");
                    claimed.Add($"/strategies/{index}/kind");
                }

                index++;
            }
        }
    }

    private static string DescribePointer(string pointer)
    {
        if (pointer == "/")
        {
            return "manifest";
        }

        // "/strategies/0/name" reads better as "field 'strategies[0].name'".
        var parts = pointer.Trim('/').Split('/');
        var text = string.Empty;
        foreach (var part in parts)
        {
            text += int.TryParse(part, out _) ? $"[{part}]" : (text.Length == 0 ? part : "." + part);
        }

        return $"field '{text}'";
    }

    private static MedleyException Invalid(string path, IReadOnlyList<string> problems) =>
        new(
            PluginErrorCodes.ManifestInvalid,
            problems.Count == 1
                ? $"{path} is invalid: {problems[0]}."
                : $"{path} is invalid ({problems.Count} problems): {string.Join("; ", problems)}.",
            details: problems);

    private static JsonSchema LoadManifestSchema()
    {
        using var document = JsonDocument.Parse(ManifestSchemaText);
        return JsonSchemaChecker.Build(document.RootElement);
    }

    private static string ReadEmbeddedSchema()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Medley.Host.plugin-manifest.schema.json")
            ?? throw new InvalidOperationException("The host was built without plugin-manifest.schema.json.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex SemVerPattern();
}
