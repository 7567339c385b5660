using System.Text.Json;
using Medley.Cli;

namespace Medley.PluginPackaging.Tests;

/// <summary>
/// docs/plugin-authors.md's commands, run as a new author and then a user would, in a fresh folder outside the
/// repository: the template's plugin is made, tested, packed and published to a folder feed, installed with the
/// medley CLI, used by <c>medley merge</c>, updated to a newer version, verified and removed.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class PluginAuthorsPageTests(PackagingWorkspace workspace)
{
    private const string PluginId = "Acme.Merging.Foo";

    private IReadOnlyList<DocCommandBlock> Blocks() =>
        DocCommandBlocks.Read(File.ReadAllText(Path.Combine(workspace.RepositoryRoot, "docs", "plugin-authors.md")));

    [Fact]
    public void The_pages_commands_take_a_plugin_from_the_template_to_installed_used_updated_and_removed()
    {
        var blocks = Blocks();
        var authoring = blocks.Where(b => b.Needs is null).ToList();
        var userBlocks = blocks.Where(b => b.Needs == "medley").ToList();
        Assert.True(authoring.Count >= 5, $"Expected the install, new, test, pack and push blocks; found {authoring.Count}.");
        Assert.Equal(3, userBlocks.Count);
        var folder = workspace.NewFolder("docs");
        var home = Directory.CreateDirectory(Path.Combine(folder, ".home")).FullName;
        // Its own CLI home: `dotnet new install` on the page must not find the template the fixture installed.
        var environment = new Dictionary<string, string>(workspace.Environment)
        {
            ["DOTNET_CLI_HOME"] = Directory.CreateDirectory(Path.Combine(folder, ".cli-home")).FullName,
            ["MEDLEY_CHECKOUT"] = workspace.RepositoryRoot,
        };

        // One shell for the author's blocks: a `cd` in one block holds for the next, as for a reader.
        DotnetCommand.RunBash(folder, environment, string.Join('\n', authoring.Select(b => b.Commands)));
        var project = Path.Combine(folder, PluginId);
        PluginPackageInspection.AssertPluginPackage(Path.Combine(project, "artifacts", $"{PluginId}.1.0.0.nupkg"), PluginId, "1.0.0");
        Assert.True(File.Exists(Path.Combine(project, "plugin-feed", $"{PluginId}.1.0.0.nupkg")), "dotnet nuget push did not put the package into the folder feed.");

        // The page promises that a version the manifest does not carry fails the pack (checked before the page's own
        // update packs 1.1.0 with both versions raised).
        var (exitCode, packOutput) = DotnetCommand.RunAllowingFailure(project, environment, "pack", $"src/{PluginId}", "-o", "artifacts", "--no-build", "-p:Version=1.1.0");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("plugin.pack.version_mismatch", packOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(project, "artifacts", $"{PluginId}.1.1.0.nupkg")));

        // The user's blocks: `medley` is the CLI built with this repository, with its own home (~/.medley).
        string RunAsUser(DocCommandBlock block) =>
            DotnetCommand.RunBash(project, environment, $"medley() {{ HOME='{home}' dotnet '{typeof(MedleyCli).Assembly.Location}' \"$@\"; }}\n{block.Commands}");
        var installedFolder = Path.Combine(home, ".medley", "plugins", PluginId);
        var lockFile = Path.Combine(home, ".medley", "medley.lock.json");

        var installed = RunAsUser(userBlocks[0]);
        Assert.True(File.Exists(Path.Combine(installedFolder, $"{PluginId}.dll")), $"install left no plugin in {installedFolder}:\n{installed}");
        Assert.Equal("1.0.0", LockedVersion(lockFile));
        Assert.Contains(PluginId, installed, StringComparison.Ordinal);

        var merged = RunAsUser(userBlocks[1]);
        AssertWeightedMean(Path.Combine(project, "merged"), merged);

        var updated = RunAsUser(userBlocks[2]);
        Assert.Contains("1.1.0", updated, StringComparison.Ordinal);
        Assert.False(Directory.Exists(installedFolder), $"remove left {installedFolder}:\n{updated}");
        Assert.Null(LockedVersion(lockFile));
    }

    [Fact]
    public void Only_the_medley_cli_is_a_need_the_test_provides()
    {
        Assert.All(Blocks().Where(b => b.Needs is not null), b => Assert.Equal("medley", b.Needs));
    }

    private static string? LockedVersion(string lockFile)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(lockFile));
        var entry = FindPlugin(document.RootElement);
        return entry is { } e && e.TryGetProperty("version", out var version) ? version.GetString() : null;

        static JsonElement? FindPlugin(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                if (element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == PluginId)
                {
                    return element;
                }

                foreach (var property in element.EnumerateObject())
                {
                    if (FindPlugin(property.Value) is { } found)
                    {
                        return found;
                    }
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    if (FindPlugin(item) is { } found)
                    {
                        return found;
                    }
                }
            }

            return null;
        }
    }

    // The page merges ft-add (weight 3) and ft-sub (weight 1) with the template's weighted mean, so every merged value
    // is (3·add + sub) / 4; one tensor, read independently of Medley's reader, shows the installed strategy ran.
    private void AssertWeightedMean(string mergedFolder, string output)
    {
        const string tensor = "transformer.h.0.mlp.c_fc.weight";
        var models = Path.Combine(workspace.RepositoryRoot, "tests", "fixtures", "skills", "models");
        var add = SafetensorsValues.Read(Path.Combine(models, "ft-add"), tensor);
        var sub = SafetensorsValues.Read(Path.Combine(models, "ft-sub"), tensor);
        Assert.True(Directory.Exists(mergedFolder), $"medley merge wrote no {mergedFolder}:\n{output}");
        var merged = SafetensorsValues.Read(mergedFolder, tensor);

        Assert.Equal(add.Length, merged.Length);
        for (var i = 0; i < merged.Length; i++)
        {
            Assert.Equal((3.0 * add[i] + sub[i]) / 4.0, merged[i], 1e-6);
        }
    }
}
