using Medley.Host.Marketplace;
using NuGet.Versioning;

namespace Medley.Marketplace.Tests;

public sealed class InterruptedInstallTests : IDisposable
{
    private readonly Marketplace _market = new();

    public void Dispose() => _market.Dispose();

    [Theory]
    [InlineData("Downloading")]
    [InlineData("Extracting")]
    [InlineData("Validating")]
    [InlineData("Moving")]
    public async Task Cancelled_first_install_leaves_nothing_behind(string stageName)
    {
        var stage = Enum.Parse<InstallStage>(stageName);
        _market.PackAlpha("1.2.0");
        var installer = new PluginInstaller(_market.Plugins, [new PluginSource(_market.Feed)], allowUnsigned: true);
        using var cancellation = new CancellationTokenSource();
        var progress = new CancelAt(stage, cancellation);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => installer.InstallAsync(Marketplace.AlphaId, null, replace: false, progress, cancellation.Token));

        Assert.Equal(stage, progress.Seen[^1]);
        Assert.False(Directory.Exists(_market.Installed()));
        Assert.False(File.Exists(_market.LockPath));
        Assert.False(Directory.Exists(installer.StagingRoot));
    }

    [Fact]
    public async Task Cancelled_replacement_keeps_the_installed_version_and_the_lock()
    {
        _market.PackAlpha("1.2.0");
        var installer = new PluginInstaller(_market.Plugins, [new PluginSource(_market.Feed)], allowUnsigned: true);
        await installer.InstallAsync(Marketplace.AlphaId, null, replace: false, null, CancellationToken.None);
        var lockBefore = await File.ReadAllBytesAsync(_market.LockPath);
        _market.PackAlpha("1.3.0");
        using var cancellation = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            installer.InstallAsync(Marketplace.AlphaId, NuGetVersion.Parse("1.3.0"), replace: true, new CancelAt(InstallStage.Validating, cancellation), cancellation.Token));

        Assert.Equal(lockBefore, await File.ReadAllBytesAsync(_market.LockPath));
        Assert.Contains("\"version\":\"1.2.0\"", (await File.ReadAllTextAsync(Path.Combine(_market.Installed(), "medley-plugin.json"))).Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Empty(PluginInstaller.Inspect(_market.Plugins).SelectMany(p => p.Problems));
        Assert.False(Directory.Exists(installer.StagingRoot));
    }

    [Fact]
    public async Task Ctrl_c_in_the_cli_exits_130_and_installs_nothing()
    {
        _market.PackAlpha("1.2.0");
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var run = await _market.MedleyWith(cancellation.Token, _market.FromFeed("plugin", "install", Marketplace.AlphaId));

        Assert.Equal(130, run.ExitCode);
        Assert.False(Directory.Exists(_market.Installed()));
        Assert.False(File.Exists(_market.LockPath));
    }
}
