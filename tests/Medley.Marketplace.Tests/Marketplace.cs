using System.IO.Compression;
using System.Text.Json.Nodes;
using Medley.Cli;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Versioning;

namespace Medley.Marketplace.Tests;

/// <summary>
/// A temporary world for one test: a local folder feed of real plugin packages (packed here from the built
/// test plugin with NuGet's PackageBuilder, as `dotnet pack` lays them out) and a plugin directory to install into.
/// </summary>
public sealed class Marketplace : IDisposable
{
    public const string AlphaId = "Medley.TestPlugins.Alpha";

    public Marketplace()
    {
        Root = Path.Combine(Path.GetTempPath(), "medley-marketplace-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Feed);
    }

    public static string BuiltAlpha { get; } = Path.Combine(AppContext.BaseDirectory, "test-plugins", AlphaId);

    public string Root { get; }

    public string Feed => Path.Combine(Root, "feed");

    /// <summary>The plugin directory installs go to; its lock is <c>Root/medley.lock.json</c>.</summary>
    public string Plugins => Path.Combine(Root, "home", "plugins");

    public string LockPath => Path.Combine(Root, "home", "medley.lock.json");

    public string Installed(string id = AlphaId) => Path.Combine(Plugins, id);

    /// <summary>Packs the built Alpha plugin as <paramref name="version"/>, after letting a test break its folder or manifest.</summary>
    public string PackAlpha(string version, Action<JsonObject>? editManifest = null, Action<string>? editFolder = null, string? summary = null)
    {
        var folder = Path.Combine(Root, "work", $"{AlphaId}.{version}.{Guid.NewGuid():N}");
        CopyDirectory(BuiltAlpha, folder);
        var manifestPath = Path.Combine(folder, "medley-plugin.json");
        var manifest = (JsonObject)JsonNode.Parse(File.ReadAllText(manifestPath))!;
        // The manifest is not among its own 'files' digests, so its version can change without restamping.
        manifest["version"] = version;
        editManifest?.Invoke(manifest);
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        editFolder?.Invoke(folder);
        return Pack(AlphaId, version, folder, summary ?? "Blends and averages models (test plugin).");
    }

    public string Pack(string id, string version, string folder, string summary, bool asPlugin = true)
    {
        var builder = new PackageBuilder
        {
            Id = id,
            Version = NuGetVersion.Parse(version),
            Description = summary,
            Summary = summary,
        };
        builder.Authors.Add("Medley contributors");
        builder.Tags.Add("medley-plugin");
        if (asPlugin)
        {
            builder.PackageTypes = [new PackageType("MedleyPlugin", PackageType.EmptyVersion)];
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            builder.Files.Add(new PhysicalPackageFile { SourcePath = file, TargetPath = "plugin/" + Path.GetRelativePath(folder, file).Replace('\\', '/') });
        }

        var path = Path.Combine(Feed, $"{id}.{version}.nupkg");
        using (var stream = File.Create(path))
        {
            builder.Save(stream);
        }

        return path;
    }

    /// <summary>Adds a raw entry to a package, bypassing every check a packer would make.</summary>
    public static void AddRawEntry(string package, string entryName, string content = "payload")
    {
        using var archive = ZipFile.Open(package, ZipArchiveMode.Update);
        using var writer = new StreamWriter(archive.CreateEntry(entryName).Open());
        writer.Write(content);
    }

    public async Task<CliRun> Medley(params string[] args) => await MedleyWith(CancellationToken.None, args);

    public async Task<CliRun> MedleyWith(CancellationToken cancellationToken, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await MedleyCli.RunAsync([.. args, "--plugins", Plugins, "--no-default-plugins"], stdout, stderr, cancellationToken);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Plugin install flags every test passes: this feed only; local packages are unsigned.</summary>
    public string[] FromFeed(params string[] args) => [.. args, "--source", Feed, "--allow-unsigned"];

    public string Normalize(string text) => text.Replace(Root, "<root>", StringComparison.Ordinal);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A plugin assembly may still be mapped by a load context the runtime has not collected yet.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above on Windows.
        }
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
