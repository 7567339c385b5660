using System.CommandLine;
using Medley.Sdk;

namespace Medley.Cli.Infrastructure;

/// <summary>
/// Runs a command's action and turns what it throws into the documented exit codes: a user's mistake is
/// printed as one clear error (never a stack trace), cancellation is 130.
/// </summary>
internal sealed class CommandRunner(GlobalOptions globals, TextWriter stdout, TextWriter stderr)
{
    public void SetAction(Command command, Func<CliContext, CancellationToken, Task<int>> action)
    {
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, action, cancellationToken));
    }

    public async Task<int> RunAsync(ParseResult parseResult, Func<CliContext, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        var context = new CliContext(parseResult, globals, stdout, stderr);
        try
        {
            return await action(context, cancellationToken).ConfigureAwait(false);
        }
        catch (MedleyException ex)
        {
            ReportError(context, ex.Code, ex.Message, ex.Details);
            return ex.Kind switch
            {
                MedleyErrorKind.Usage => ExitCodes.Usage,
                MedleyErrorKind.InvalidInput => ExitCodes.InvalidInput,
                _ => ExitCodes.Failure,
            };
        }
        catch (CliUsageException ex)
        {
            ReportError(context, "cli.usage", ex.Message, []);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ReportError(context, "cancelled", "Cancelled.", []);
            return ExitCodes.Cancelled;
        }
#pragma warning disable CA1031 // The CLI's last line of defence: anything else is reported as an internal failure.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            ReportError(context, "internal", $"Internal error: {ex.GetType().Name}: {ex.Message}", []);
            if (context.Verbose)
            {
                context.Stderr.WriteLine(ex.ToString());
            }

            return ExitCodes.Failure;
        }
    }

    public static void ReportError(CliContext context, string code, string message, IReadOnlyList<string> details)
    {
        if (context.Json)
        {
            context.WriteJson(new { error = new { code, message, details } });
            return;
        }

        // Plain text, never wrapped or styled, so that the message reads (and greps) the same everywhere.
        context.Stderr.WriteLine($"error {code}: {message}");
        // Some messages already list their details; print them separately only when they do not.
        if (details.Count > 1 && !message.Contains(details[0], StringComparison.Ordinal))
        {
            foreach (var detail in details)
            {
                context.Stderr.WriteLine($"  - {detail}");
            }
        }
    }
}
