using Medley.Cli;

namespace Medley.Running.Tests;

/// <summary>Runs the <c>medley</c> CLI in-process with only the plugins built beside the tests.</summary>
internal static class Cli
{
    public static string PluginFolder => Path.Combine(AppContext.BaseDirectory, "plugins");

    public static async Task<(int Code, string Stdout, string Stderr)> Medley(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await MedleyCli.RunAsync([.. args, "--no-default-plugins", "--plugins", PluginFolder], stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
