using System.CommandLine;
using System.Reflection;
using Medley.Cli.Commands;
using Medley.Cli.Infrastructure;

namespace Medley.Cli;

/// <summary>The <c>medley</c> command line, callable in-process (tests, embedding) or from <c>Program</c>.</summary>
public static class MedleyCli
{
    /// <summary>The CLI's version (the assembly's informational version).</summary>
    public static string Version { get; } =
        typeof(MedleyCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    /// <summary>Parses and runs a command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="stdout">Where results go.</param>
    /// <param name="stderr">Where errors and logs go.</param>
    /// <param name="cancellationToken">Cancels the command (Ctrl+C is also handled).</param>
    /// <returns>The exit code: 0 ok, 1 failure, 2 usage error, 3 invalid input, 130 cancelled.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        // Answered here rather than by System.CommandLine, whose version comes from the entry assembly
        // (the test host's, when the CLI runs in-process).
        if (args is ["--version"])
        {
            await stdout.WriteLineAsync(Version).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var globals = new GlobalOptions();
        var runner = new CommandRunner(globals, stdout, stderr);
        var root = new RootCommand("Medley makes several language models work as one: merging, ensembles and cooperation, each strategy a plugin.");
        globals.AddTo(root);
        root.Subcommands.Add(PluginsCommand.Create(runner));
        root.Subcommands.Add(PluginCommand.Create(runner));
        root.Subcommands.Add(MergeCommand.Create(runner));
        root.Subcommands.Add(ProvidersCommand.Create(runner));
        root.Subcommands.Add(ExportOnnxCommand.Create(runner));
        root.Subcommands.Add(GenerateCommand.Create(runner));
        root.Subcommands.Add(EvalCommand.Create(runner));
        root.Subcommands.Add(DemoCommand.Create(runner));
        root.Subcommands.Add(RunCommand.Create(runner));
        root.Subcommands.Add(ServeCommand.Create(runner));
        root.Subcommands.Add(RespondCommand.Create(runner));

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            var context = new CliContext(parseResult, globals, stdout, stderr);
            var messages = parseResult.Errors.Select(e => e.Message).ToList();
            CommandRunner.ReportError(context, "cli.usage", string.Join(" ", messages), messages);
            if (!context.Json)
            {
                stderr.WriteLine("Run 'medley --help' for usage.");
            }

            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
