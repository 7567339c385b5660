using System.IO.Compression;
using System.Xml.Linq;

namespace Medley.PluginPackaging.Tests;

/// <summary>The repository's own packages: the SDK, the template package, and one of its plugins packed as a plugin.</summary>
[Collection(PackagingCollection.Name)]
public sealed class RepositoryPackagesTests(PackagingWorkspace workspace)
{
    private static XDocument Nuspec(ZipArchive archive)
    {
        using var stream = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream);
    }

    [Fact]
    public void A_plugin_of_this_repository_packs_as_a_plugin_package()
    {
        var output = workspace.NewFolder("linear");
        DotnetCommand.Run(workspace.RepositoryRoot, new Dictionary<string, string>(), "pack", Path.Combine(workspace.RepositoryRoot, "plugins/merging/Linear/Medley.Merging.Linear.csproj"), "-o", output);

        PluginPackageInspection.AssertPluginPackage(Path.Combine(output, "Medley.Merging.Linear.0.1.0.nupkg"), "Medley.Merging.Linear", "0.1.0");
    }

    [Fact]
    public void A_plugins_private_dependencies_are_packed_beside_it_with_digests()
    {
        // The test plugin Alpha ships Newtonsoft.Json 12; it is not packable by default and versions itself 1.2.0.
        var output = workspace.NewFolder("alpha");
        DotnetCommand.Run(
            workspace.RepositoryRoot,
            new Dictionary<string, string>(),
            "pack",
            Path.Combine(workspace.RepositoryRoot, "tests/plugins/Alpha/Medley.TestPlugins.Alpha.csproj"),
            "-o",
            output,
            "-p:IsPackable=true",
            "-p:Version=1.2.0");

        var package = Path.Combine(output, "Medley.TestPlugins.Alpha.1.2.0.nupkg");
        PluginPackageInspection.AssertPluginPackage(package, "Medley.TestPlugins.Alpha", "1.2.0");
        using var archive = ZipFile.OpenRead(package);
        Assert.NotNull(archive.GetEntry("plugin/Newtonsoft.Json.dll"));
    }

    [Fact]
    public void Medley_Sdk_is_a_library_package_that_brings_the_plugin_build()
    {
        using var archive = ZipFile.OpenRead(Directory.GetFiles(workspace.Feed, "Medley.Sdk.0*.nupkg").Single());
        var names = archive.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("lib/net10.0/Medley.Sdk.dll", names);
        foreach (var file in new[] { "Medley.Sdk.props", "Medley.Sdk.targets", "Medley.Plugin.props", "Medley.Plugin.targets" })
        {
            Assert.Contains("build/" + file, names);
        }

        var nuspec = Nuspec(archive);
        Assert.DoesNotContain(nuspec.Descendants(), e => e.Name.LocalName == "packageType");
        // MinVer: untagged commits are 0.1.0-alpha.0.HEIGHT, never below the 0.1 the plugins' sdk ranges start at.
        var version = nuspec.Descendants().Single(e => e.Name.LocalName == "version").Value;
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$", version);
        Assert.False(version.StartsWith("0.0.", StringComparison.Ordinal), version);
    }

    [Fact]
    public void The_template_package_pins_the_sdk_packed_with_it()
    {
        var sdkVersion = Path.GetFileNameWithoutExtension(Directory.GetFiles(workspace.Feed, "Medley.Sdk.0*.nupkg").Single())["Medley.Sdk.".Length..];
        using var archive = ZipFile.OpenRead(Directory.GetFiles(workspace.Feed, "Medley.Templates.*.nupkg").Single());

        var packageType = Assert.Single(Nuspec(archive).Descendants(), e => e.Name.LocalName == "packageType");
        Assert.Equal("Template", packageType.Attribute("name")?.Value);
        using var reader = new StreamReader(archive.GetEntry("content/medley-plugin/.template.config/template.json")!.Open());
        var template = reader.ReadToEnd();
        Assert.Contains($"\"defaultValue\": \"{sdkVersion}\"", template, StringComparison.Ordinal);
        Assert.DoesNotContain("@MEDLEY_SDK", template, StringComparison.Ordinal);
    }
}
