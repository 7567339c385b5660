using System.Text.RegularExpressions;
using Snapshooter.Xunit;

namespace Medley.Marketplace.Tests;

public sealed partial class OutputSnapshotTests : IDisposable
{
    private readonly Marketplace _market = new();

    public void Dispose() => _market.Dispose();

    [Fact]
    public async Task Plugin_search_table()
    {
        SeedFeed();
        var run = await _market.Medley("plugin", "search", "--source", _market.Feed);
        Assert.Equal(0, run.ExitCode);
        Snapshot.Match(Table(run.Stdout));
    }

    [Fact]
    public async Task Plugin_search_json_with_a_term()
    {
        SeedFeed();
        var run = await _market.Medley("plugin", "search", "other", "--source", _market.Feed, "--json");
        Assert.Equal(0, run.ExitCode);
        Snapshot.Match(_market.Normalize(run.Stdout));
    }

    [Fact]
    public async Task Plugin_list_table_shows_each_status()
    {
        _market.PackAlpha("1.2.0");
        PackAs("Acme.Merging.Other");
        PackAs("Acme.Merging.Gone");
        foreach (var id in new[] { Marketplace.AlphaId, "Acme.Merging.Other", "Acme.Merging.Gone" })
        {
            var install = await _market.Medley(_market.FromFeed("plugin", "install", id));
            Assert.True(install.ExitCode == 0, install.Stderr);
        }

        await File.AppendAllTextAsync(Path.Combine(_market.Installed("Acme.Merging.Other"), "Medley.TestPlugins.Alpha.dll"), "x");
        Directory.Delete(_market.Installed("Acme.Merging.Gone"), recursive: true);

        var run = await _market.Medley("plugin", "list");

        Assert.Equal(0, run.ExitCode);
        Snapshot.Match(Table(run.Stdout));
    }

    /// <summary>The built Alpha plugin re-identified as another plugin (id in both manifest and package).</summary>
    private void PackAs(string id)
    {
        _market.PackAlpha("2.0.0", m => m["id"] = id);
        RenamePackage("Medley.TestPlugins.Alpha.2.0.0.nupkg", id);
    }

    private void RenamePackage(string file, string id)
    {
        // PackAlpha names packages after Alpha; repack the folder under the id the manifest now carries.
        var path = Path.Combine(_market.Feed, file);
        var folder = Path.Combine(_market.Root, "repack", id);
        System.IO.Compression.ZipFile.ExtractToDirectory(path, folder);
        File.Delete(path);
        _market.Pack(id, "2.0.0", Path.Combine(folder, "plugin"), $"{id} (test plugin).");
    }

    private void SeedFeed()
    {
        _market.PackAlpha("1.2.0");
        _market.PackAlpha("1.3.0");
        _market.PackAlpha("2.0.0-beta.1");
        _market.Pack("Acme.Merging.Other", "0.9.0", Marketplace.BuiltAlpha, "Another merge method for other models.");
        var library = Path.Combine(_market.Root, "library");
        Directory.CreateDirectory(library);
        File.WriteAllText(Path.Combine(library, "readme.txt"), "not a plugin");
        var builder = new NuGet.Packaging.PackageBuilder { Id = "Acme.Library", Version = NuGet.Versioning.NuGetVersion.Parse("1.0.0"), Description = "An ordinary library." };
        builder.Authors.Add("Acme");
        builder.Files.Add(new NuGet.Packaging.PhysicalPackageFile { SourcePath = Path.Combine(library, "readme.txt"), TargetPath = "content/readme.txt" });
        using var stream = File.Create(Path.Combine(_market.Feed, "Acme.Library.1.0.0.nupkg"));
        builder.Save(stream);
    }

    // Temp paths differ in length between machines; collapsing padding keeps the table's content and shape comparable.
    private string Table(string text) => LineRule().Replace(Padding().Replace(_market.Normalize(text), " "), "─");

    [GeneratedRegex(" {2,}")]
    private static partial Regex Padding();

    [GeneratedRegex("─{2,}")]
    private static partial Regex LineRule();
}
