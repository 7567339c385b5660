using Medley.Host.Tests.Support;
using Snapshooter.Xunit;

namespace Medley.Host.Tests.Cli;

public sealed class PluginsCommandTests : IDisposable
{
    private readonly PluginSandbox _sandbox = new();

    public PluginsCommandTests()
    {
        _sandbox.Add("Alpha");
        _sandbox.Add("Beta");
        _sandbox.Add("Faulty");
    }

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Plugins_list_json()
    {
        var run = await Medley("plugins", "list", "--json");
        Assert.Equal(0, run.ExitCode);
        Snapshot.Match(Normalize(run.Stdout));
    }

    [Fact]
    public async Task Plugins_list_table()
    {
        var run = await Medley("plugins", "list");
        Assert.Equal(0, run.ExitCode);
        Snapshot.Match(Normalize(run.Stdout));
    }

    [Fact]
    public async Task Plugins_inspect_by_strategy_name()
    {
        var run = await Medley("plugins", "inspect", "alpha_blend");
        Assert.Equal(0, run.ExitCode);
        Snapshot.Match(Normalize(run.Stdout));
    }

    [Fact]
    public async Task Plugins_inspect_json()
    {
        var run = await Medley("plugins", "inspect", "Medley.TestPlugins.Beta", "--json");
        Assert.Equal(0, run.ExitCode);
        Snapshot.Match(Normalize(run.Stdout));
    }

    [Fact]
    public async Task Plugins_check_reports_every_violation_with_exit_code_3()
    {
        var run = await Medley("plugins", "check", "alpha_blend", "--parameters", "{\"weight\": 2, \"mode\": \"mix\"}");
        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith("error request.invalid: Invalid request (2 problems):\n  - parameters of strategy 'alpha_blend' at /weight: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("  - parameters of strategy 'alpha_blend' at /mode: ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_strategy_is_invalid_input()
    {
        var run = await Medley("plugins", "check", "nope", "--json");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("\"code\": \"strategy.unknown\"", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("No strategy named 'nope'. Available: alpha_blend, beta_scale, alpha_mean.", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_errors_exit_with_2()
    {
        var run = await CliRun.InvokeAsync("plugins", "frobnicate");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error cli.usage:", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_is_printed()
    {
        var run = await CliRun.InvokeAsync("--version");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("0.1.0", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_exits_with_130()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var code = await global::Medley.Cli.MedleyCli.RunAsync(["plugins", "list", "--plugins", _sandbox.Root, "--no-default-plugins"], stdout, stderr, cancelled.Token);
        Assert.Equal(130, code);
    }

    private Task<CliRun> Medley(params string[] args) =>
        CliRun.InvokeAsync([.. args, "--plugins", _sandbox.Root, "--no-default-plugins"]);

    private string Normalize(string text) => text.Replace(_sandbox.Root, "<plugins>", StringComparison.Ordinal);
}
