using System.CommandLine;
using System.Text.Json;
using Medley.Cli.Infrastructure;
using Medley.Host.Chat;
using Medley.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Medley.Cli.Commands;

/// <summary><c>medley serve</c>: local models as an OpenAI-compatible server, until Ctrl+C.</summary>
internal static class ServeCommand
{
    private static readonly JsonSerializerOptions OneLineJson = new(CliJson.Options) { WriteIndented = false };

    public static Command Create(CommandRunner runner)
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen, ';'-separated (port 0 picks a free port)", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var models = new Option<string[]>("--model", "-m") { Description = "Serve an ONNX model folder under its folder name (repeatable)", HelpName = "DIR" };
        var runs = new Option<string[]>("--run") { Description = "Serve a run config under its file name (repeatable)", HelpName = "RUN.yml" };
        var apiKeyEnv = new Option<string>("--api-key-env") { Description = "Require 'Authorization: Bearer KEY', KEY read from this environment variable", HelpName = "NAME" };
        var queue = new Option<int>("--queue") { Description = "Most requests waiting for a slot; more get 429", DefaultValueFactory = _ => 64 };
        var concurrency = new Option<int>("--concurrency") { Description = "Most requests generating at once", DefaultValueFactory = _ => 4 };
        var maxBodyBytes = new Option<long>("--max-body-bytes") { Description = "Largest request body; larger gets 413", DefaultValueFactory = _ => 1024 * 1024 };
        var device = new Option<string>("--device") { Description = "auto, cpu, cuda[:N] or dml[:N] for --model folders", DefaultValueFactory = _ => "cpu" };
        var promptFormat = new Option<string>("--prompt-format")
        {
            Description = "How --model folders turn chat messages into a prompt: template (the model's chat template) or raw (message texts joined by newlines, for completion models)",
            DefaultValueFactory = _ => "template",
        };
        promptFormat.AcceptOnlyFromAmong("template", "raw");
        var command = new Command("serve", "Serve models over an OpenAI-compatible API (/v1/models, /v1/chat/completions) until Ctrl+C")
        {
            urls, models, runs, apiKeyEnv, queue, concurrency, maxBodyBytes, device, promptFormat,
        };

        runner.SetAction(command, async (context, cancellationToken) =>
        {
            var parse = context.ParseResult;
            var options = new MedleyServerOptions
            {
                ApiKey = ReadKey(parse.GetValue(apiKeyEnv)),
                QueueLimit = parse.GetValue(queue),
                Concurrency = parse.GetValue(concurrency),
                MaxBodyBytes = parse.GetValue(maxBodyBytes),
                ConfigureLogging = logging =>
                {
                    // Standard error only: standard output carries the --json line that scripts read.
                    logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(context.Verbose ? LogLevel.Debug : LogLevel.Warning);
                    logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                },
            };
            foreach (var url in parse.GetValue(urls)!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                options.Urls.Add(url);
            }

            var format = parse.GetValue(promptFormat) == "raw" ? ChatPromptFormat.Raw : ChatPromptFormat.Template;
            var runFiles = parse.GetValue(runs) ?? [];

            // The host (plugin catalog, loggers) is needed only for runs; it outlives the registry that uses it.
            await using var host = runFiles.Length > 0 ? context.CreateHost() : null;
            var registry = new ServedModelRegistry();
            MedleyServer server;
            try
            {
                foreach (var folder in parse.GetValue(models) ?? [])
                {
                    ServedModelSources.AddModelFolder(registry, folder, parse.GetValue(device)!, format);
                }

                foreach (var run in runFiles)
                {
                    ServedModelSources.AddRunConfig(registry, run, host!.Plugins, host.Services.GetRequiredService<ILoggerFactory>());
                }

                server = await MedleyServer.StartAsync(registry, options, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await registry.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            await using (server.ConfigureAwait(false))
            {
                if (context.Json)
                {
                    // One line, not the usual indented JSON: a script reads the first line to learn the bound port.
                    var ready = JsonSerializer.Serialize(new { urls = server.Urls, models = registry.Ids }, OneLineJson);
                    await context.Stdout.WriteLineAsync(ready).ConfigureAwait(false);
                }
                else
                {
                    await context.Stdout.WriteLineAsync($"Serving {string.Join(", ", registry.Ids)} on {string.Join(", ", server.Urls)} (Ctrl+C stops)").ConfigureAwait(false);
                }

                await context.Stdout.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl+C is how a server is meant to stop: a clean exit, not a cancelled command.
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string? ReadKey(string? variable)
    {
        if (variable is null)
        {
            return null;
        }

        var key = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrEmpty(key)
            ? throw new CliUsageException($"--api-key-env {variable}: the environment variable {variable} is not set or empty; set it to the key clients must send.")
            : key;
    }
}
