using System.Text.Json.Nodes;
using Medley.Host.Hosting;

namespace Medley.Host.Tests.Support;

/// <summary>
/// A temporary plugin directory holding copies of the real test plugins (built with this project), which a
/// test may then break in one specific way.
/// </summary>
public sealed class PluginSandbox : IDisposable
{
    public PluginSandbox()
    {
        Root = Path.Combine(Path.GetTempPath(), "medley-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    /// <summary>Where the build put the test plugins.</summary>
    public static string BuiltPlugins { get; } = Path.Combine(AppContext.BaseDirectory, "test-plugins");

    public string Root { get; }

    /// <summary>Copies a built test plugin (Alpha, Beta, Faulty) into the sandbox, optionally under another folder name.</summary>
    public string Add(string name, string? folderName = null)
    {
        var source = Path.Combine(BuiltPlugins, $"Medley.TestPlugins.{name}");
        var target = Path.Combine(Root, folderName ?? $"Medley.TestPlugins.{name}");
        CopyDirectory(source, target);
        return target;
    }

    public static string ManifestPath(string folder) => Path.Combine(folder, "medley-plugin.json");

    public static JsonObject ReadManifest(string folder) => (JsonObject)JsonNode.Parse(File.ReadAllText(ManifestPath(folder)))!;

    public static void WriteManifest(string folder, JsonObject manifest) => File.WriteAllText(ManifestPath(folder), manifest.ToJsonString());

    public static void EditManifest(string folder, Action<JsonObject> edit)
    {
        var manifest = ReadManifest(folder);
        edit(manifest);
        WriteManifest(folder, manifest);
    }

    public MedleyHost CreateHost(Action<MedleyOptions>? configure = null) => MedleyHost.CreateDefault(options =>
    {
        options.PluginDirectories.Add(Root);
        options.UseDefaultPluginLocations = false;
        configure?.Invoke(options);
    });

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
        }
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
