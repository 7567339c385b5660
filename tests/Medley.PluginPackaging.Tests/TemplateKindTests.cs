using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Medley.PluginPackaging.Tests;

/// <summary>
/// Every --kind of `dotnet new medley-plugin`: the generated plugin builds, its own tests pass and it packs. Slow
/// (about 40 s a kind); the merge kind also runs by default through <see cref="PluginAuthorsPageTests"/>.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed partial class TemplateKindTests(PackagingWorkspace workspace)
{
    [SlowTheory]
    [Trait("Category", "Slow")]
    [InlineData("merge", "Acme.Merging.Mean", "acme-merging-mean")]
    [InlineData("step", "Acme.Ensemble.Sharp", "acme-ensemble-sharp")]
    [InlineData("decoding", "Acme.Decoding.Greedy", "acme-decoding-greedy")]
    [InlineData("response", "Acme.Responses.First", "acme-responses-first")]
    public void A_plugin_of_each_kind_builds_passes_its_tests_and_packs(string kind, string name, string strategyName)
    {
        var folder = workspace.NewFolder(kind);
        DotnetCommand.Run(folder, workspace.Environment, "new", "medley-plugin", "-n", name, "--kind", kind, "--debug:custom-hive", workspace.TemplateHive);
        var project = Path.Combine(folder, name);

        var testOutput = DotnetCommand.Run(project, workspace.Environment, "test", $"tests/{name}.Tests");
        var summary = TestSummary().Match(testOutput);
        Assert.True(summary.Success, "No test summary in:\n" + testOutput);
        Assert.Equal("0", summary.Groups["failed"].Value);
        Assert.True(int.Parse(summary.Groups["passed"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 3, testOutput);

        DotnetCommand.Run(project, workspace.Environment, "pack", $"src/{name}", "-o", "artifacts");
        var package = Path.Combine(project, "artifacts", $"{name}.1.0.0.nupkg");
        PluginPackageInspection.AssertPluginPackage(package, name, "1.0.0");

        using var archive = ZipFile.OpenRead(package);
        using var stream = archive.GetEntry("plugin/medley-plugin.json")!.Open();
        using var manifest = JsonDocument.Parse(stream);
        var strategy = Assert.Single(manifest.RootElement.GetProperty("strategies").EnumerateArray());
        Assert.Equal(kind, strategy.GetProperty("kind").GetString());
        Assert.Equal(strategyName, strategy.GetProperty("name").GetString());
    }

    [GeneratedRegex(@"Failed:\s+(?<failed>\d+),\s+Passed:\s+(?<passed>\d+)")]
    private static partial Regex TestSummary();
}
