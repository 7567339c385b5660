using System.Text.Json.Nodes;
using Medley.Sdk.Testing;

namespace Medley.Conformance.Tests;

/// <summary>A real plugin's build output, copied and then damaged in one way, fails the manifest check with that damage named.</summary>
public sealed class BrokenPluginFolderTests
{
    private const string Project = "plugins/merging/Linear/Medley.Merging.Linear.csproj";

    [Fact]
    public void The_undamaged_copy_passes()
    {
        using var folder = CopyOfLinear();

        var plugin = PluginConformance.CheckManifest(folder.Path);

        Assert.Equal("Medley.Merging.Linear", plugin.Id);
        Assert.Equal("linear", Assert.Single(plugin.Strategies).Name);
    }

    [Fact]
    public void A_declared_strategy_without_a_class_is_reported()
    {
        using var folder = CopyOfLinear();
        EditManifest(folder, manifest => manifest["strategies"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "ghost",
            ["kind"] = "merge",
            ["summary"] = "Declared but never written.",
        }));

        var error = Assert.Throws<ConformanceException>(() => PluginConformance.CheckManifest(folder.Path));

        var violation = Assert.Single(error.Violations);
        Assert.Equal(
            "strategy 'ghost' (kind merge) is declared in medley-plugin.json but Medley.Merging.Linear.dll has no class with [MedleyStrategy(\"ghost\")] implementing IMergeMethod.",
            violation);
    }

    [Fact]
    public void A_file_changed_after_the_build_is_reported()
    {
        using var folder = CopyOfLinear();
        // Trailing bytes leave the assembly loadable, so only the digest can tell.
        using (var stream = File.Open(folder.Combine("Medley.Merging.Linear.dll"), FileMode.Append))
        {
            stream.WriteByte(0);
        }

        var error = Assert.Throws<ConformanceException>(() => PluginConformance.CheckManifest(folder.Path));

        var violation = Assert.Single(error.Violations);
        Assert.StartsWith("file 'Medley.Merging.Linear.dll' has SHA-256 ", violation, StringComparison.Ordinal);
        Assert.EndsWith(": the file changed after the build.", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_default_the_schema_rejects_is_reported()
    {
        using var folder = CopyOfLinear();
        EditManifest(folder, manifest => manifest["strategies"]![0]!["parameters"]!["properties"]!["normalize"]!["default"] = "yes");

        var error = Assert.Throws<ConformanceException>(() => PluginConformance.CheckManifest(folder.Path));

        var violation = Assert.Single(error.Violations);
        Assert.StartsWith(
            "field 'strategies[0].parameters' (strategy 'linear'): the object made of its defaults is rejected by the schema itself at /normalize: ",
            violation,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_manifest_outside_the_schema_is_reported()
    {
        using var folder = CopyOfLinear();
        EditManifest(folder, manifest => manifest["version"] = "one");

        var error = Assert.Throws<ConformanceException>(() => PluginConformance.CheckManifest(folder.Path));

        Assert.Contains(error.Violations, v => v.StartsWith("medley-plugin.json does not match plugin-manifest.schema.json at /version: ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_version_that_differs_from_the_assembly_is_reported()
    {
        using var folder = CopyOfLinear();
        EditManifest(folder, manifest => manifest["version"] = "9.9.9");

        var error = Assert.Throws<ConformanceException>(() => PluginConformance.CheckManifest(folder.Path));

        var violation = Assert.Single(error.Violations);
        Assert.StartsWith("field 'version' is '9.9.9' but the entry assembly was built as version 0.1.0", violation, StringComparison.Ordinal);
    }

    private static TempFolder CopyOfLinear()
    {
        var source = RepositoryPlugins.OutputFolder(Project);
        var folder = new TempFolder();
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = folder.Combine(Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return folder;
    }

    private static void EditManifest(TempFolder folder, Action<JsonObject> edit)
    {
        var path = folder.Combine(PluginConformance.ManifestFileName);
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
    }
}
