using Medley.Cli;

namespace Medley.Host.Tests.Support;

/// <summary>Runs the <c>medley</c> command in-process and captures what it prints.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public static async Task<CliRun> InvokeAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await MedleyCli.RunAsync(args, stdout, stderr, CancellationToken.None);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }
}
