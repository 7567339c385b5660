using System.Diagnostics;

namespace Medley.Responses.Tests;

/// <summary>
/// examples/EnsembleChat, run as its README-style user would run it: a router ensemble from a run config behind
/// ChatClientBuilder middleware answers through the plain IChatClient API, so the sample cannot rot unnoticed.
/// </summary>
public sealed class EnsembleChatExampleTests
{
    [Fact]
    public void The_sample_routes_each_question_to_the_right_member_through_chat_client_builder_middleware()
    {
        using var work = new TempFolder();
        var output = RunExample(work.Path);

        // Greedy answers of the routed fine-tune (ft-add for sums, ft-rev for reversals), as `medley generate` gives them.
        Assert.Matches(@"012\+345= 357   answered by ft-add in \d+\.\d ms", output);
        Assert.Matches(@"rev:medley= yeldem   answered by ft-rev in \d+\.\d ms", output);
        Assert.Contains("streamed: rev:stream= maerts", output, StringComparison.Ordinal);
        Assert.Contains("ft-add: 2 call(s)", output, StringComparison.Ordinal);
        Assert.Contains("ft-rev: 2 call(s)", output, StringComparison.Ordinal);
    }

    private static string RunExample(string work)
    {
        // tests/Medley.Responses.Tests/bin/<Configuration>/<tfm> → examples/EnsembleChat/bin/<Configuration>/<tfm>
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testOutput.Parent!;
        var root = configuration.Parent!.Parent!.Parent!.Parent!.FullName;
        var example = Path.Combine(root, "examples", "EnsembleChat", "bin", configuration.Name, testOutput.Name, "EnsembleChat.dll");
        Assert.True(File.Exists(example), $"{example} is missing: the test project builds the example first.");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { example, Path.Combine(root, "tests", "fixtures", "skills"), work })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the example ran longer than two minutes");
        Assert.True(process.ExitCode == 0, $"the example exited with {process.ExitCode}:\n{stdout}\n{stderr.Result}");
        return stdout;
    }
}
