using System.Text.Json.Nodes;

namespace Medley.Marketplace.Tests;

public sealed class NuGetV3FeedTests : IDisposable
{
    private readonly Marketplace _market = new();
    private readonly LoopbackV3Feed _feed;

    public NuGetV3FeedTests()
    {
        _market.PackAlpha("1.2.0");
        _market.PackAlpha("1.3.0");
        _market.Pack("Acme.Library", "1.0.0", Marketplace.BuiltAlpha, "Not a plugin.", asPlugin: false);
        _feed = new LoopbackV3Feed(_market.Feed);
    }

    public void Dispose()
    {
        _feed.Dispose();
        _market.Dispose();
    }

    [Fact]
    public async Task Search_asks_the_service_for_the_MedleyPlugin_package_type()
    {
        var run = await _market.Medley("plugin", "search", "--source", _feed.ServiceIndex, "--json");

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var packages = JsonNode.Parse(run.Stdout)!["packages"]!.AsArray();
        var package = Assert.Single(packages)!;
        Assert.Equal(Marketplace.AlphaId, (string?)package["id"]);
        Assert.Equal("1.3.0", (string?)package["version"]);
        Assert.Equal(_feed.ServiceIndex, (string?)package["source"]);
        Assert.Contains(_feed.Requests, r => r.StartsWith("/query?", StringComparison.Ordinal) && r.Contains("packageType=MedleyPlugin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Install_and_update_from_a_v3_feed()
    {
        var install = await _market.Medley("plugin", "install", $"{Marketplace.AlphaId}@1.2.0", "--source", _feed.ServiceIndex, "--allow-unsigned", "--json");
        Assert.True(install.ExitCode == 0, install.Stdout + install.Stderr);
        var lockEntry = JsonNode.Parse(File.ReadAllText(_market.LockPath))!["plugins"]![0]!;
        Assert.Equal(_feed.ServiceIndex, (string?)lockEntry["source"]);
        Assert.Equal("1.2.0", (string?)lockEntry["version"]);

        var update = await _market.Medley("plugin", "update", "--source", _feed.ServiceIndex, "--allow-unsigned");
        Assert.True(update.ExitCode == 0, update.Stderr);
        Assert.Equal("1.3.0", (string?)JsonNode.Parse(File.ReadAllText(_market.LockPath))!["plugins"]![0]!["version"]);
        Assert.Contains(_feed.Requests, r => r == $"/flat/{Marketplace.AlphaId.ToLowerInvariant()}/1.3.0/{Marketplace.AlphaId.ToLowerInvariant()}.1.3.0.nupkg");
        Assert.Equal(0, (await _market.Medley("plugin", "verify")).ExitCode);
    }
}
