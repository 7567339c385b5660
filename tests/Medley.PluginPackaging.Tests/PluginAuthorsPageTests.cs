namespace Medley.PluginPackaging.Tests;

/// <summary>docs/plugin-authors.md's commands, run as a new author would, in a fresh folder outside the repository.</summary>
[Collection(PackagingCollection.Name)]
public sealed class PluginAuthorsPageTests(PackagingWorkspace workspace)
{
    private IReadOnlyList<DocCommandBlock> Blocks() =>
        DocCommandBlocks.Read(File.ReadAllText(Path.Combine(workspace.RepositoryRoot, "docs", "plugin-authors.md")));

    [Fact]
    public void The_pages_commands_make_test_pack_and_publish_a_valid_plugin()
    {
        var runnable = Blocks().Where(b => b.Needs is null).ToList();
        Assert.True(runnable.Count >= 5, $"Expected the install, new, test, pack and push blocks; found {runnable.Count}.");
        var folder = workspace.NewFolder("docs");
        // Its own CLI home: `dotnet new install` on the page must not find the template the fixture installed.
        var environment = new Dictionary<string, string>(workspace.Environment)
        {
            ["DOTNET_CLI_HOME"] = Directory.CreateDirectory(Path.Combine(folder, ".cli-home")).FullName,
        };

        // One shell for all blocks: a `cd` in one block holds for the next, as for a reader.
        DotnetCommand.RunBash(folder, environment, string.Join('\n', runnable.Select(b => b.Commands)));

        var project = Path.Combine(folder, "Acme.Merging.Foo");
        PluginPackageInspection.AssertPluginPackage(Path.Combine(project, "artifacts", "Acme.Merging.Foo.1.0.0.nupkg"), "Acme.Merging.Foo", "1.0.0");
        Assert.True(
            File.Exists(Path.Combine(project, "plugin-feed", "Acme.Merging.Foo.1.0.0.nupkg")),
            "dotnet nuget push did not put the package into the folder feed.");

        // The page promises that a version the manifest does not carry fails the pack.
        var (exitCode, output) = DotnetCommand.RunAllowingFailure(project, environment, "pack", "src/Acme.Merging.Foo", "-o", "artifacts", "--no-build", "-p:Version=1.1.0");
        Assert.NotEqual(0, exitCode);
        Assert.Contains("plugin.pack.version_mismatch", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(project, "artifacts", "Acme.Merging.Foo.1.1.0.nupkg")));
    }

    [Fact]
    public void Only_the_medley_cli_blocks_wait_for_the_cli()
    {
        var waiting = Blocks().Where(b => b.Needs is not null).ToList();

        Assert.NotEmpty(waiting);
        Assert.All(waiting, b =>
        {
            Assert.Equal("medley", b.Needs);
            Assert.All(b.Commands.Split('\n'), line => Assert.StartsWith("medley plugin ", line, StringComparison.Ordinal));
        });
    }
}
