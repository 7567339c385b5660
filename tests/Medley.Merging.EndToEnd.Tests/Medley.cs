using Medley.Cli;

namespace Medley.Merging.EndToEnd.Tests;

/// <summary>Runs the <c>medley</c> CLI in-process; the bundled plugins are the ones the test build copied.</summary>
public sealed record Medley(int ExitCode, string Stdout, string Stderr)
{
    public static async Task<Medley> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await MedleyCli.RunAsync(args, stdout, stderr, CancellationToken.None);
        return new Medley(code, stdout.ToString(), stderr.ToString());
    }
}
