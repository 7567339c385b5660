using System.CommandLine;
using System.Text;
using Medley.Host.Hosting;
using Medley.Sdk.Decoding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Spectre.Console;

namespace Medley.Cli.Infrastructure;

/// <summary>What a command's action works with: parsed global options, the consoles and the host.</summary>
internal sealed class CliContext
{
    private readonly GlobalOptions _globals;

    public CliContext(ParseResult parseResult, GlobalOptions globals, TextWriter stdout, TextWriter stderr)
    {
        ParseResult = parseResult;
        _globals = globals;
        Stdout = stdout;
        Stderr = stderr;
        Json = parseResult.GetValue(globals.Json);
        Verbose = parseResult.GetValue(globals.Verbose);
        Console = CreateConsole(stdout);
        ErrorConsole = CreateConsole(stderr);
    }

    public ParseResult ParseResult { get; }

    public TextWriter Stdout { get; }

    public TextWriter Stderr { get; }

    public bool Json { get; }

    public bool Verbose { get; }

    /// <summary>Tables and progress go here (standard output).</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Errors and warnings go here (standard error).</summary>
    public IAnsiConsole ErrorConsole { get; }

    public MedleyHost CreateHost()
    {
        var directories = ParseResult.GetValue(_globals.Plugins) ?? [];
        var pins = ParseResult.GetValue(_globals.Pins) ?? [];
        var noDefaults = ParseResult.GetValue(_globals.NoDefaultPlugins);
        var pinPairs = new List<(string Strategy, string Plugin)>();
        foreach (var pin in pins)
        {
            var parts = pin.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw new CliUsageException($"--pin '{pin}' is not of the form STRATEGY=PLUGIN-ID.");
            }

            pinPairs.Add((parts[0], parts[1]));
        }

        return MedleyHost.CreateDefault(
            options =>
            {
                foreach (var directory in directories)
                {
                    options.PluginDirectories.Add(directory);
                }

                foreach (var (strategy, plugin) in pinPairs)
                {
                    options.StrategyPins[strategy] = plugin;
                }

                options.UseDefaultPluginLocations = !noDefaults;
            },
            services => services.AddLogging(logging =>
            {
                logging.ClearProviders();
                if (Verbose)
                {
                    // Logs go to standard error so that --json output on standard output stays parseable.
                    logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Debug);
                    logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                }
            }));
    }

    public void WriteJson<T>(T value) => Stdout.WriteLine(CliJson.Serialize(value));

    /// <summary>
    /// Collects generated text; without <c>--json</c> also shows each piece as it comes (flushed, so a slow model's
    /// output appears token by token), since then the text is the output.
    /// </summary>
    public async Task<string> StreamTextAsync(IAsyncEnumerable<TokenEvent> pieces, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        await foreach (var piece in pieces.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            text.Append(piece.Text);
            if (!Json)
            {
                await Stdout.WriteAsync(piece.Text).ConfigureAwait(false);
                await Stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return text.ToString();
    }

    private static IAnsiConsole CreateConsole(TextWriter writer)
    {
        var interactive = ReferenceEquals(writer, System.Console.Out) && !System.Console.IsOutputRedirected
            || ReferenceEquals(writer, System.Console.Error) && !System.Console.IsErrorRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive)
        {
            // Redirected output has no width; a fixed one keeps tables whole and output reproducible.
            console.Profile.Width = 160;
        }

        return console;
    }
}
