using System.Net;
using System.Net.Sockets;
using Medley.Host.Plugins;

namespace Medley.Marketplace.Tests;

public sealed class BadPackageTests : IDisposable
{
    private readonly Marketplace _market = new();

    public void Dispose() => _market.Dispose();

    private string Package => $"Package {Marketplace.AlphaId} 1.2.0 from {_market.Feed}";

    [Fact]
    public async Task No_manifest()
    {
        _market.PackAlpha("1.2.0", editFolder: folder => File.Delete(Path.Combine(folder, "medley-plugin.json")));
        await AssertRefused($"error plugin.manifest.missing: {Package}: Plugin folder 'plugin' has no medley-plugin.json: every plugin folder must carry one.");
    }

    [Fact]
    public async Task Manifest_invalid()
    {
        _market.PackAlpha("1.2.0", m => m.Remove("entryAssembly"));
        await AssertRefused($"error plugin.manifest.invalid: {Package}: plugin/medley-plugin.json is invalid: field 'entryAssembly' is missing (expected the entry assembly's file name, e.g. 'Acme.Merging.Foo.dll').");
    }

    [Fact]
    public async Task Sdk_incompatible()
    {
        _market.PackAlpha("1.2.0", m => m["sdk"] = "[9.0.0, 10.0.0)");
        await AssertRefused($"error plugin.install.sdk-incompatible: Plugin '{Marketplace.AlphaId}' 1.2.0 requires Medley.Sdk [9.0.0, 10.0.0) but this host provides Medley.Sdk {SdkCompatibility.HostSdkVersion}.");
    }

    [Fact]
    public async Task Wrong_platform()
    {
        var elsewhere = OperatingSystem.IsWindows() ? "linux-x64" : "win-arm64";
        _market.PackAlpha("1.2.0", m => m["platforms"] = new System.Text.Json.Nodes.JsonArray(elsewhere));
        await AssertRefused($"error plugin.install.platform-unsupported: Plugin '{Marketplace.AlphaId}' 1.2.0 supports platforms [{elsewhere}] but this host runs on ");
    }

    [Fact]
    public async Task Zip_slip_entry()
    {
        Marketplace.AddRawEntry(_market.PackAlpha("1.2.0"), "plugin/../../evil.txt");
        await AssertRefused($"error plugin.install.unsafe-entry: {Package} was refused: entry 'plugin/../../evil.txt' climbs out of its folder with '..' (zip-slip). A plugin package may only hold plain files under 'plugin/'.");
        Assert.Empty(Directory.EnumerateFiles(_market.Root, "evil.txt", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Absolute_path_entry()
    {
        Marketplace.AddRawEntry(_market.PackAlpha("1.2.0"), "/tmp/evil.txt");
        await AssertRefused($"error plugin.install.unsafe-entry: {Package} was refused: entry '/tmp/evil.txt' has an absolute path.");
    }

    [Fact]
    public async Task Drive_letter_and_backslash_entries()
    {
        var package = _market.PackAlpha("1.2.0");
        Marketplace.AddRawEntry(package, "C:/evil.txt");
        Marketplace.AddRawEntry(package, "plugin\\..\\evil.txt");
        await AssertRefused($"error plugin.install.unsafe-entry: {Package} was refused: entry 'C:/evil.txt' has a drive letter; entry 'plugin\\..\\evil.txt' contains a backslash.");
    }

    [Fact]
    public async Task Entry_outside_the_plugin_folder()
    {
        Marketplace.AddRawEntry(_market.PackAlpha("1.2.0"), "lib/net10.0/evil.dll");
        await AssertRefused($"error plugin.install.unsafe-entry: {Package} was refused: entry 'lib/net10.0/evil.dll' lies outside 'plugin/'.");
    }

    [Fact]
    public async Task Hash_mismatch_between_feed_and_file()
    {
        var package = _market.PackAlpha("1.2.0");
        var published = Convert.ToBase64String(new byte[64]);
        await File.WriteAllTextAsync(package + ".sha512", published);
        await AssertRefused($"error plugin.install.hash-mismatch: {Package} has SHA-512 ");
        await AssertRefused($" but the source publishes {published}: the download is corrupt or the package was replaced; refusing it.");
    }

    [Fact]
    public async Task Matching_feed_hash_is_accepted()
    {
        var package = _market.PackAlpha("1.2.0");
        await File.WriteAllTextAsync(package + ".sha512", Convert.ToBase64String(System.Security.Cryptography.SHA512.HashData(File.ReadAllBytes(package))));
        var install = await _market.Medley(_market.FromFeed("plugin", "install", Marketplace.AlphaId));
        Assert.True(install.ExitCode == 0, install.Stderr);
    }

    [Fact]
    public async Task Packaged_file_that_differs_from_the_stamped_digest()
    {
        _market.PackAlpha("1.2.0", editFolder: folder => File.AppendAllText(Path.Combine(folder, "Medley.TestPlugins.Alpha.dll"), "x"));
        await AssertRefused($"error plugin.install.digest-mismatch: {Package} does not match its manifest: file 'Medley.TestPlugins.Alpha.dll' has SHA-256 ");
    }

    [Fact]
    public async Task Unsigned_without_allow_unsigned()
    {
        _market.PackAlpha("1.2.0");
        var run = await _market.Medley("plugin", "install", Marketplace.AlphaId, "--source", _market.Feed);
        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"error plugin.install.unsigned: {Package} is unsigned. A plugin runs inside Medley with your user's rights, and only a signature shows who published it and that it was not altered; pass --allow-unsigned to install it anyway if you trust the source.", run.Stderr, StringComparison.Ordinal);
        AssertNothingInstalled();
    }

    [Fact]
    public async Task Feed_unreachable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var url = $"http://127.0.0.1:{port}/v3/index.json";

        var run = await _market.Medley("plugin", "install", Marketplace.AlphaId, "--source", url, "--allow-unsigned");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error plugin.source.unreachable: Plugin source '{url}' is unreachable: ", run.Stderr, StringComparison.Ordinal);
        AssertNothingInstalled();
    }

    [Fact]
    public async Task Missing_folder_feed_is_unreachable()
    {
        var missing = Path.Combine(_market.Root, "nowhere");
        var run = await _market.Medley("plugin", "search", "--source", missing);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"error plugin.source.unreachable: Plugin source '{missing}' is unreachable: the folder does not exist.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_plugin()
    {
        _market.PackAlpha("1.2.0");
        await AssertRefused($"error plugin.install.not-found: No source has a stable version of plugin 'Acme.Nope'. Searched: {_market.Feed}.", "Acme.Nope");
    }

    private async Task AssertRefused(string expected, string id = Marketplace.AlphaId)
    {
        var run = await _market.Medley(_market.FromFeed("plugin", "install", id));
        Assert.Equal(3, run.ExitCode);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        AssertNothingInstalled();
    }

    private void AssertNothingInstalled()
    {
        Assert.False(Directory.Exists(_market.Installed()), "a refused install left a plugin folder");
        Assert.False(File.Exists(_market.LockPath), "a refused install wrote the lock");
        Assert.False(Directory.Exists(Path.Combine(_market.Root, "home", ".medley-staging")), "a refused install left its staging folder");
    }
}
