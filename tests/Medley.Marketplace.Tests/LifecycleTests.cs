using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Medley.Marketplace.Tests;

public sealed class LifecycleTests : IDisposable
{
    private readonly Marketplace _market = new();

    public void Dispose() => _market.Dispose();

    [Fact]
    public async Task Install_list_verify_tamper_update_remove()
    {
        var package = _market.PackAlpha("1.2.0");

        var install = await _market.Medley(_market.FromFeed("plugin", "install", Marketplace.AlphaId));
        Assert.True(install.ExitCode == 0, install.Stderr);
        Assert.Contains($"installed {Marketplace.AlphaId} 1.2.0", install.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_market.Installed(), "Medley.TestPlugins.Alpha.dll")));

        // The lock pins the package's SHA-512, computed here independently from the file in the feed.
        var lockJson = JsonNode.Parse(File.ReadAllText(_market.LockPath))!;
        var entry = lockJson["plugins"]![0]!;
        Assert.Equal(Marketplace.AlphaId, (string?)entry["id"]);
        Assert.Equal("1.2.0", (string?)entry["version"]);
        Assert.Equal(_market.Feed, (string?)entry["source"]);
        Assert.Equal(Convert.ToHexStringLower(SHA512.HashData(File.ReadAllBytes(package))), (string?)entry["packageSha512"]);
        Assert.Equal(
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_market.Installed(), "Medley.TestPlugins.Alpha.dll")))),
            (string?)entry["files"]!["Medley.TestPlugins.Alpha.dll"]);

        var list = await _market.Medley("plugin", "list", "--json");
        Assert.Equal(0, list.ExitCode);
        Assert.Equal("ok", (string?)JsonNode.Parse(list.Stdout)!["plugins"]![0]!["status"]);
        Assert.Equal(0, (await _market.Medley("plugin", "verify")).ExitCode);

        var loaded = await _market.Medley("plugins", "inspect", Marketplace.AlphaId, "--json");
        Assert.True(loaded.ExitCode == 0, loaded.Stdout + loaded.Stderr);

        // Tamper: one changed file and one added file; verify reports both, loading refuses the plugin.
        await File.AppendAllTextAsync(Path.Combine(_market.Installed(), "Medley.TestPlugins.Alpha.dll"), "x");
        await File.WriteAllTextAsync(Path.Combine(_market.Installed(), "notes.txt"), "added by hand");
        var verify = await _market.Medley("plugin", "verify");
        Assert.Equal(3, verify.ExitCode);
        Assert.Contains("error plugin.lock.mismatch: 2 mismatch(es) with ", verify.Stderr, StringComparison.Ordinal);
        Assert.Contains($"  - plugin '{Marketplace.AlphaId}': file 'Medley.TestPlugins.Alpha.dll' has SHA-256 ", verify.Stderr, StringComparison.Ordinal);
        Assert.Contains($"  - plugin '{Marketplace.AlphaId}': file 'notes.txt' was not installed by medley plugin install", verify.Stderr, StringComparison.Ordinal);
        var refused = await _market.Medley("plugins", "inspect", Marketplace.AlphaId);
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains($"error plugin.lock.mismatch: Plugin '{Marketplace.AlphaId}' in {_market.Installed()} no longer matches {_market.LockPath}: ", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("file 'Medley.TestPlugins.Alpha.dll' has SHA-256", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("modified", (string?)JsonNode.Parse((await _market.Medley("plugin", "list", "--json")).Stdout)!["plugins"]![0]!["status"]);

        _market.PackAlpha("1.3.0");
        var update = await _market.Medley(_market.FromFeed("plugin", "update"));
        Assert.True(update.ExitCode == 0, update.Stderr);
        Assert.Contains($"updated from 1.2.0 to {Marketplace.AlphaId} 1.3.0", update.Stdout, StringComparison.Ordinal);
        Assert.Equal("1.3.0", (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(_market.Installed(), "medley-plugin.json")))!["version"]);
        Assert.Equal(0, (await _market.Medley("plugin", "verify")).ExitCode);
        var upToDate = await _market.Medley(_market.FromFeed("plugin", "update", Marketplace.AlphaId));
        Assert.Contains($"up to date: {Marketplace.AlphaId} 1.3.0", upToDate.Stdout, StringComparison.Ordinal);

        var remove = await _market.Medley("plugin", "remove", Marketplace.AlphaId);
        Assert.True(remove.ExitCode == 0, remove.Stderr);
        Assert.False(Directory.Exists(_market.Installed()));
        Assert.Empty(JsonNode.Parse(File.ReadAllText(_market.LockPath))!["plugins"]!.AsArray());
    }

    [Fact]
    public async Task Remove_deletes_only_what_install_wrote()
    {
        _market.PackAlpha("1.2.0");
        Assert.Equal(0, (await _market.Medley(_market.FromFeed("plugin", "install", Marketplace.AlphaId))).ExitCode);
        var own = Path.Combine(_market.Installed(), "cache", "mine.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(own)!);
        await File.WriteAllTextAsync(own, "user data");

        var remove = await _market.Medley("plugin", "remove", Marketplace.AlphaId, "--json");

        Assert.Equal(0, remove.ExitCode);
        Assert.Equal([own], Directory.EnumerateFiles(_market.Installed(), "*", SearchOption.AllDirectories));
        Assert.Contains("mine.bin", remove.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_takes_the_newest_version_this_host_supports()
    {
        _market.PackAlpha("1.2.0");
        _market.PackAlpha("1.3.0", m => m["sdk"] = "[9.0.0, 10.0.0)");
        _market.PackAlpha("1.4.0-beta.1");

        var install = await _market.Medley(_market.FromFeed("plugin", "install", Marketplace.AlphaId, "--json"));

        Assert.True(install.ExitCode == 0, install.Stdout + install.Stderr);
        Assert.Equal("1.2.0", (string?)JsonNode.Parse(install.Stdout)!["plugins"]![0]!["version"]);
    }

    [Fact]
    public async Task Update_skips_newer_versions_this_host_cannot_run()
    {
        _market.PackAlpha("1.2.0");
        Assert.Equal(0, (await _market.Medley(_market.FromFeed("plugin", "install", Marketplace.AlphaId))).ExitCode);
        var lockBefore = await File.ReadAllTextAsync(_market.LockPath);
        _market.PackAlpha("1.3.0", m => m["sdk"] = "[9.0.0, 10.0.0)");

        var update = await _market.Medley(_market.FromFeed("plugin", "update", Marketplace.AlphaId));

        Assert.True(update.ExitCode == 0, update.Stderr);
        Assert.Contains($"up to date: {Marketplace.AlphaId} 1.2.0", update.Stdout, StringComparison.Ordinal);
        Assert.Equal(lockBefore, await File.ReadAllTextAsync(_market.LockPath));
    }

    [Fact]
    public async Task Verify_reports_a_lock_entry_whose_folder_is_gone()
    {
        _market.PackAlpha("1.2.0");
        Assert.Equal(0, (await _market.Medley(_market.FromFeed("plugin", "install", Marketplace.AlphaId))).ExitCode);
        Directory.Delete(_market.Installed(), recursive: true);

        var verify = await _market.Medley("plugin", "verify", "--json");

        Assert.Equal(3, verify.ExitCode);
        var problem = Assert.Single(JsonNode.Parse(verify.Stdout)!["problems"]!.AsArray())!;
        Assert.Equal($"plugin '{Marketplace.AlphaId}': folder '{_market.Installed()}' is missing", (string?)problem);
    }

    [Fact]
    public async Task Install_of_an_exact_prerelease_version()
    {
        _market.PackAlpha("1.2.0");
        _market.PackAlpha("1.4.0-beta.1");

        var install = await _market.Medley(_market.FromFeed("plugin", "install", $"{Marketplace.AlphaId}@1.4.0-beta.1"));

        Assert.True(install.ExitCode == 0, install.Stderr);
        Assert.Contains($"installed {Marketplace.AlphaId} 1.4.0-beta.1", install.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installed_plugin_is_not_overwritten_without_force()
    {
        _market.PackAlpha("1.2.0");
        Assert.Equal(0, (await _market.Medley(_market.FromFeed("plugin", "install", Marketplace.AlphaId))).ExitCode);

        var again = await _market.Medley(_market.FromFeed("plugin", "install", Marketplace.AlphaId));
        Assert.Equal(3, again.ExitCode);
        Assert.Contains($"error plugin.install.already-installed: Plugin '{Marketplace.AlphaId}' is already installed in {_market.Installed()} (version 1.2.0); use 'medley plugin update {Marketplace.AlphaId}' or install with --force to replace it.", again.Stderr, StringComparison.Ordinal);

        var forced = await _market.Medley(_market.FromFeed("plugin", "install", Marketplace.AlphaId, "--force"));
        Assert.True(forced.ExitCode == 0, forced.Stderr);
    }

    [Fact]
    public async Task Sources_come_from_the_config_file()
    {
        _market.PackAlpha("1.2.0");
        var config = Path.Combine(_market.Root, "medley.json");
        await File.WriteAllTextAsync(config, "{\"sources\": [\"feed\"]}");

        var install = await _market.Medley("plugin", "install", Marketplace.AlphaId, "--config", config, "--allow-unsigned", "--json");

        Assert.True(install.ExitCode == 0, install.Stdout);
        var installed = JsonNode.Parse(install.Stdout)!["plugins"]![0]!;
        Assert.Equal(_market.Feed, (string?)installed["source"]);
        Assert.Equal(_market.Installed(), (string?)installed["folder"]);
    }

    [Fact]
    public async Task Without_any_source_nothing_is_installed()
    {
        var config = Path.Combine(_market.Root, "medley.json");
        await File.WriteAllTextAsync(config, "{}");

        var install = await _market.Medley("plugin", "install", Marketplace.AlphaId, "--config", config);

        Assert.Equal(3, install.ExitCode);
        Assert.Contains("error plugin.source.none: No plugin sources are configured", install.Stderr, StringComparison.Ordinal);
    }
}
