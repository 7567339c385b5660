using System.Diagnostics;
using System.Text;

namespace Medley.PluginPackaging.Tests;

/// <summary>Runs the real dotnet CLI (or bash) as a child process and keeps what it printed for failure messages.</summary>
public static class DotnetCommand
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static string Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Start("dotnet", workingDirectory, environment, arguments, expectSuccess: true).Output;

    public static (int ExitCode, string Output) RunAllowingFailure(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Start("dotnet", workingDirectory, environment, arguments, expectSuccess: false);

    public static string RunBash(string workingDirectory, IReadOnlyDictionary<string, string> environment, string script) =>
        Start("bash", workingDirectory, environment, ["-euo", "pipefail", "-c", script], expectSuccess: true).Output;

    private static (int ExitCode, string Output) Start(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] arguments, bool expectSuccess)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The test host's own MSBuild and test-platform variables would leak into the child builds.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // No build servers: they would outlive the test and hold files in the temp folders.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} ran longer than {Limit} in {workingDirectory}:\n{output}");
        }

        process.WaitForExit();
        var text = Read(output);
        if (expectSuccess && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode} in {workingDirectory}:\n{text}");
        }

        return (process.ExitCode, text);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
