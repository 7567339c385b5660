using Medley.Cli;

namespace Medley.Evaluation.Tests;

/// <summary>Runs the <c>medley</c> command line in-process, with only the bundled-free plugin search.</summary>
public static class Cli
{
    public static async Task<(int Code, string Stdout, string Stderr)> Medley(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await MedleyCli.RunAsync([.. args, "--no-default-plugins"], stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
