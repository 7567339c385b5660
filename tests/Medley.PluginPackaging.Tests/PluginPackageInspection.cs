using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;

namespace Medley.PluginPackaging.Tests;

/// <summary>Checks a .nupkg against the plugin package layout that `medley plugin install` relies on.</summary>
public static class PluginPackageInspection
{
    public static void AssertPluginPackage(string packagePath, string expectedId, string expectedVersion)
    {
        using var archive = ZipFile.OpenRead(packagePath);
        var entries = archive.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();

        var nuspecEntry = Assert.Single(entries, e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
        XDocument nuspec;
        using (var stream = nuspecEntry.Open())
        {
            nuspec = XDocument.Load(stream);
        }

        string? Metadata(string name) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
        Assert.Equal(expectedId, Metadata("id"));
        Assert.Equal(expectedVersion, Metadata("version"));
        Assert.Contains("medley-plugin", (Metadata("tags") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var packageType = Assert.Single(nuspec.Descendants(), e => e.Name.LocalName == "packageType");
        Assert.Equal("MedleyPlugin", packageType.Attribute("name")?.Value);
        Assert.DoesNotContain(nuspec.Descendants(), e => e.Name.LocalName is "dependency" or "group");

        // Nothing but the plugin folder and NuGet's own metadata.
        foreach (var entry in entries)
        {
            var isMetadata = entry == nuspecEntry
                || entry.FullName is "[Content_Types].xml" or "_rels/.rels"
                || (entry.FullName.StartsWith("package/services/metadata/core-properties/", StringComparison.Ordinal) && entry.FullName.EndsWith(".psmdcp", StringComparison.Ordinal));
            Assert.True(isMetadata || entry.FullName.StartsWith("plugin/", StringComparison.Ordinal), $"{Path.GetFileName(packagePath)} has {entry.FullName} outside plugin/.");
        }

        var manifestEntry = Assert.Single(entries, e => e.FullName == "plugin/medley-plugin.json");
        using var manifest = JsonDocument.Parse(ReadAll(manifestEntry));
        var root = manifest.RootElement;
        Assert.Equal(expectedId, root.GetProperty("id").GetString());
        Assert.Equal(expectedVersion, root.GetProperty("version").GetString());
        var entryAssembly = root.GetProperty("entryAssembly").GetString();
        Assert.Contains(entries, e => e.FullName == "plugin/" + entryAssembly);

        var digests = root.GetProperty("files").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.Ordinal);
        var shipped = entries.Where(e => e.FullName.StartsWith("plugin/", StringComparison.Ordinal) && e != manifestEntry).ToList();
        Assert.Equal(digests.Keys.Order(StringComparer.Ordinal), shipped.Select(e => e.FullName["plugin/".Length..]).Order(StringComparer.Ordinal));
        foreach (var entry in shipped)
        {
            var digest = Convert.ToHexStringLower(SHA256.HashData(ReadAll(entry)));
            Assert.True(digest == digests[entry.FullName["plugin/".Length..]], $"The manifest's digest of {entry.FullName} does not match the packed file.");
        }

        // The host provides the shared assemblies; a packed copy would load a second Medley.Sdk.
        Assert.DoesNotContain(shipped, e => e.Name == "Medley.Sdk.dll");
    }

    private static byte[] ReadAll(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
