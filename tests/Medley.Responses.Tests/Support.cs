using Medley.Cli;
using Medley.Host.Hosting;

namespace Medley.Responses.Tests;

/// <summary>The <c>medley</c> CLI in-process, and a host, with only the plugins built beside the tests.</summary>
internal static class Support
{
    public static string PluginFolder => Path.Combine(AppContext.BaseDirectory, "plugins");

    public static MedleyHost CreateHost() => MedleyHost.CreateDefault(options =>
    {
        options.PluginDirectories.Add(PluginFolder);
        options.UseDefaultPluginLocations = false;
    });

    public static async Task<(int Code, string Stdout, string Stderr)> Medley(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await MedleyCli.RunAsync([.. args, "--no-default-plugins", "--plugins", PluginFolder], stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
