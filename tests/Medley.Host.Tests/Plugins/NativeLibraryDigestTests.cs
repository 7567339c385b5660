using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Medley.Host.Plugins;
using Medley.Host.Tests.Support;
using Medley.Sdk;

namespace Medley.Host.Tests.Plugins;

/// <summary>Native libraries are checked against the manifest when they are about to be loaded, not on every start.</summary>
public sealed class NativeLibraryDigestTests : IDisposable
{
    private readonly PluginSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void A_tampered_native_library_is_refused_when_it_is_about_to_be_loaded()
    {
        var folder = _sandbox.Add("Alpha");
        var native = Path.Combine(folder, "runtimes", "linux-x64", "native", "libexample.so");
        Directory.CreateDirectory(Path.GetDirectoryName(native)!);
        File.WriteAllBytes(native, [1, 2, 3, 4]);
        var digest = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(native)));
        PluginSandbox.EditManifest(folder, m => m["files"]!["runtimes/linux-x64/native/libexample.so"] = digest);

        using (var host = _sandbox.CreateHost())
        {
            host.Plugins.VerifyNativeLibraries("Medley.TestPlugins.Alpha");
        }

        File.WriteAllBytes(native, [9, 9, 9, 9]);
        using (var host = _sandbox.CreateHost())
        {
            Assert.Equal(PluginStatus.Loaded, host.Plugins.GetPlugin("Medley.TestPlugins.Alpha").Status);
            var error = Assert.Throws<MedleyException>(() => host.Plugins.VerifyNativeLibraries("Medley.TestPlugins.Alpha"));
            var actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(native)));
            Assert.Equal("plugin.file-digest-mismatch", error.Code);
            Assert.Equal(
                $"Plugin 'Medley.TestPlugins.Alpha' in {folder}: file 'runtimes/linux-x64/native/libexample.so' has SHA-256 {actual} but 'files' expects {digest}. The plugin's files were changed after it was built or installed; reinstall it.",
                error.Message);
        }
    }

    [Fact]
    public void An_unlisted_native_library_is_refused_at_load()
    {
        var folder = _sandbox.Add("Alpha");
        var native = Path.Combine(folder, "runtimes", "linux-x64", "native", "libsneaky.so");
        Directory.CreateDirectory(Path.GetDirectoryName(native)!);
        File.WriteAllBytes(native, [1]);

        using var host = _sandbox.CreateHost();
        var record = host.Plugins.GetPlugin("Medley.TestPlugins.Alpha");
        Assert.Equal(PluginStatus.Failed, record.Status);
        Assert.Contains("file 'runtimes/linux-x64/native/libsneaky.so' is code but is not listed in 'files'", record.Error!.Message, StringComparison.Ordinal);
    }
}
