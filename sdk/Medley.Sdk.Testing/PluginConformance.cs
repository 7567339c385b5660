using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;

namespace Medley.Sdk.Testing;

/// <summary>Checks a built plugin folder the way the host checks it before and while loading it.</summary>
public static class PluginConformance
{
    /// <summary>The manifest's file name in a plugin folder.</summary>
    public const string ManifestFileName = "medley-plugin.json";

    /// <summary>
    /// Checks a built plugin folder (the build output holding the stamped <c>medley-plugin.json</c>): the manifest is valid
    /// against plugin-manifest.schema.json; its id, version and entryAssembly match the built assembly; every declared
    /// strategy is a class with <c>[MedleyStrategy(name)]</c> implementing the contract of its declared kind, and every such
    /// class is declared; each strategy can be constructed; the stamped <c>files</c> digests match the folder; each
    /// parameters schema is a valid JSON Schema 2020-12 that accepts its own defaults.
    /// </summary>
    /// <param name="pluginOutputFolder">The plugin's build output folder.</param>
    /// <returns>The loaded plugin, for the per-contract checks.</returns>
    /// <exception cref="ConformanceException">Listing every broken rule.</exception>
    public static ConformancePlugin CheckManifest(string pluginOutputFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pluginOutputFolder);
        var folder = Path.GetFullPath(pluginOutputFolder);
        var subject = $"plugin folder {folder}";
        var violations = new ViolationList();
        var manifestPath = Path.Combine(folder, ManifestFileName);
        if (!File.Exists(manifestPath))
        {
            violations.Add($"{ManifestFileName} is missing; build the plugin with the Medley plugin targets, which stamp it into the output folder.");
            violations.ThrowIfAny(subject);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        }
        catch (JsonException ex)
        {
            violations.Add($"{ManifestFileName} is not valid JSON (line {ex.LineNumber + 1}): {ex.Message}");
            violations.ThrowIfAny(subject);
            throw;
        }

        using (document)
        {
            var root = document.RootElement;
            foreach (var problem in SchemaChecks.Evaluate(SchemaChecks.ManifestSchema, root))
            {
                violations.Add($"{ManifestFileName} does not match plugin-manifest.schema.json at {problem}");
            }

            // The remaining rules read fields the schema requires; without them there is nothing more to check.
            violations.ThrowIfAny(subject);
            var id = root.GetProperty("id").GetString()!;
            subject = $"plugin '{id}' in {folder}";
            CheckFiles(folder, root, violations);
            var entryAssembly = root.GetProperty("entryAssembly").GetString()!;
            var entryPath = Path.Combine(folder, entryAssembly);
            if (!File.Exists(entryPath))
            {
                violations.Add($"field 'entryAssembly' names {entryAssembly}, which is not in the plugin folder.");
                violations.ThrowIfAny(subject);
            }

            CheckIdentity(entryPath, id, root.GetProperty("version").GetString()!, violations);
            var declarations = ReadDeclarations(root, violations);
            var assembly = new PluginLoadContext(entryPath).LoadFromAssemblyPath(entryPath);
            var strategies = MatchStrategies(assembly, entryAssembly, declarations, violations);
            violations.ThrowIfAny(subject);
            return new ConformancePlugin(id, folder, assembly, strategies);
        }
    }

    private static void CheckFiles(string folder, JsonElement root, ViolationList violations)
    {
        if (!root.TryGetProperty("files", out var files))
        {
            violations.Add("field 'files' is missing: the build stamps a SHA-256 digest of every file into the output manifest; check the output folder, not the source manifest.");
            return;
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in files.EnumerateObject())
        {
            listed.Add(entry.Name);
            var full = Path.GetFullPath(Path.Combine(folder, entry.Name));
            if (!full.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                violations.Add($"field 'files' lists '{entry.Name}', which lies outside the plugin folder.");
            }
            else if (!File.Exists(full))
            {
                violations.Add($"field 'files' lists '{entry.Name}', which is missing from the plugin folder.");
            }
            else
            {
                using var stream = File.OpenRead(full);
                var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
                if (!string.Equals(actual, entry.Value.GetString(), StringComparison.OrdinalIgnoreCase))
                {
                    violations.Add($"file '{entry.Name}' has SHA-256 {actual} but field 'files' expects {entry.Value.GetString()}: the file changed after the build.");
                }
            }
        }

        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
            var isCode = relative.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                || relative.EndsWith(".so", StringComparison.Ordinal)
                || relative.EndsWith(".dylib", StringComparison.Ordinal);
            if (isCode && !listed.Contains(relative))
            {
                violations.Add($"file '{relative}' is code but field 'files' does not list it; the host refuses unlisted code.");
            }
        }
    }

    private static void CheckIdentity(string entryPath, string id, string version, ViolationList violations)
    {
        var name = AssemblyName.GetAssemblyName(entryPath);
        if (!string.Equals(name.Name, id, StringComparison.Ordinal))
        {
            violations.Add($"field 'id' is '{id}' but the entry assembly is named '{name.Name}'; the id is the entry assembly's name.");
        }

        var built = ReadInformationalVersion(entryPath) ?? name.Version?.ToString(3);
        var manifestCore = version.Split('+')[0];
        if (built is not null && !string.Equals(built.Split('+')[0], manifestCore, StringComparison.Ordinal))
        {
            violations.Add($"field 'version' is '{version}' but the entry assembly was built as version {built}; keep them the same.");
        }
    }

    private static string? ReadInformationalVersion(string entryPath)
    {
        // Read without loading: metadata only, so a version mismatch is reported even for an assembly that fails to load.
        using var stream = File.OpenRead(entryPath);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);
        foreach (var handle in metadata.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = metadata.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != System.Reflection.Metadata.HandleKind.MemberReference)
            {
                continue;
            }

            var constructor = metadata.GetMemberReference((System.Reflection.Metadata.MemberReferenceHandle)attribute.Constructor);
            var typeName = constructor.Parent.Kind == System.Reflection.Metadata.HandleKind.TypeReference
                ? metadata.GetString(metadata.GetTypeReference((System.Reflection.Metadata.TypeReferenceHandle)constructor.Parent).Name)
                : null;
            if (typeName == nameof(AssemblyInformationalVersionAttribute))
            {
                var blob = metadata.GetBlobReader(attribute.Value);
                blob.ReadUInt16();
                return blob.ReadSerializedString();
            }
        }

        return null;
    }

    private static List<(string Name, StrategyKind Kind, IReadOnlyList<StrategyRole> Roles, JsonElement? Parameters)> ReadDeclarations(
        JsonElement root,
        ViolationList violations)
    {
        var declarations = new List<(string, StrategyKind, IReadOnlyList<StrategyRole>, JsonElement?)>();
        var index = 0;
        foreach (var strategy in root.GetProperty("strategies").EnumerateArray())
        {
            var name = strategy.GetProperty("name").GetString()!;
            StrategyKinds.TryParse(strategy.GetProperty("kind").GetString(), out var kind);
            if (declarations.Any(d => d.Item1 == name))
            {
                violations.Add($"field 'strategies[{index}].name': strategy '{name}' is declared twice.");
            }

            var roles = strategy.TryGetProperty("roles", out var roleArray)
                ? roleArray.EnumerateArray().Select(r => new StrategyRole(
                    r.GetProperty("name").GetString()!,
                    !r.TryGetProperty("required", out var required) || required.GetBoolean(),
                    r.TryGetProperty("multiple", out var multiple) && multiple.GetBoolean(),
                    r.TryGetProperty("summary", out var summary) ? summary.GetString() : null)).ToList()
                : [];
            JsonElement? parameters = strategy.TryGetProperty("parameters", out var schema) ? schema.Clone() : null;
            if (parameters is { } declared)
            {
                var schemaProblems = SchemaChecks.CheckSchema(declared);
                if (schemaProblems.Count > 0)
                {
                    violations.Add($"field 'strategies[{index}].parameters' (strategy '{name}') is not a valid JSON Schema 2020-12: {string.Join("; ", schemaProblems)}");
                }
                else
                {
                    foreach (var problem in SchemaChecks.CheckDefaults(declared))
                    {
                        violations.Add($"field 'strategies[{index}].parameters' (strategy '{name}'): the object made of its defaults is rejected by the schema itself at {problem}");
                    }
                }
            }

            declarations.Add((name, kind, roles, parameters));
            index++;
        }

        return declarations;
    }

    private static List<ConformanceStrategy> MatchStrategies(
        Assembly assembly,
        string entryAssembly,
        List<(string Name, StrategyKind Kind, IReadOnlyList<StrategyRole> Roles, JsonElement? Parameters)> declarations,
        ViolationList violations)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            var cause = ex.LoaderExceptions.FirstOrDefault(e => e is not null);
            violations.Add($"{entryAssembly} cannot be loaded the way the host loads it: {cause?.Message ?? ex.Message}");
            return [];
        }

        var found = new Dictionary<string, (Type Type, StrategyKind Kind)>(StringComparer.Ordinal);
        foreach (var type in types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IMedleyStrategy).IsAssignableFrom(t)))
        {
            var attribute = type.GetCustomAttribute<MedleyStrategyAttribute>();
            StrategyKinds.TryGetKinds(type, out var kinds);
            if (attribute is null)
            {
                violations.Add($"class {type.FullName} implements a strategy contract but has no [MedleyStrategy(\"name\")] attribute.");
            }
            else if (kinds.Count != 1)
            {
                violations.Add($"class {type.FullName} (strategy '{attribute.Name}') must implement exactly one strategy contract, not {kinds.Count}.");
            }
            else if (!found.TryAdd(attribute.Name, (type, kinds[0])))
            {
                violations.Add($"classes {found[attribute.Name].Type.FullName} and {type.FullName} both claim strategy '{attribute.Name}'.");
            }
        }

        var strategies = new List<ConformanceStrategy>();
        foreach (var (name, kind, roles, parameters) in declarations)
        {
            if (!found.TryGetValue(name, out var implementation))
            {
                violations.Add($"strategy '{name}' (kind {StrategyKinds.ToName(kind)}) is declared in {ManifestFileName} but {entryAssembly} has no class with [MedleyStrategy(\"{name}\")] implementing {StrategyKinds.ContractOf(kind).Name}.");
                continue;
            }

            if (implementation.Kind != kind)
            {
                violations.Add($"strategy '{name}' is declared with kind {StrategyKinds.ToName(kind)} but class {implementation.Type.FullName} implements {StrategyKinds.ContractOf(implementation.Kind).Name} (kind {StrategyKinds.ToName(implementation.Kind)}).");
                continue;
            }

            if (StrategyActivator.TryCreate(implementation.Type, violations) is not null)
            {
                strategies.Add(new ConformanceStrategy(name, kind, implementation.Type, roles, parameters));
            }
        }

        foreach (var (name, (type, kind)) in found.Where(f => declarations.All(d => d.Name != f.Key)))
        {
            violations.Add($"class {type.FullName} implements strategy '{name}' (kind {StrategyKinds.ToName(kind)}) which {ManifestFileName} does not declare in 'strategies'.");
        }

        return strategies;
    }
}
