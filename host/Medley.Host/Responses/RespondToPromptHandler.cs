using System.Diagnostics;
using Mediator;
using Medley.Host.Plugins;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Host.Responses;

/// <summary>Handles <see cref="RespondToPrompt"/>: builds the run's chat client, asks once, reports the accounting.</summary>
public sealed class RespondToPromptHandler : IRequestHandler<RespondToPrompt, RespondResult>
{
    private readonly PluginCatalog _catalog;
    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Creates the handler.</summary>
    /// <param name="catalog">Strategies and execution providers.</param>
    /// <param name="loggerFactory">Loggers for the strategy.</param>
    public RespondToPromptHandler(PluginCatalog catalog, ILoggerFactory loggerFactory)
    {
        _catalog = catalog;
        _loggerFactory = loggerFactory;
    }

    /// <inheritdoc />
    public async ValueTask<RespondResult> Handle(RespondToPrompt request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var run = await RunChatClients.CreateAsync(_catalog, request.Config, _loggerFactory, cancellationToken).ConfigureAwait(false);
        var messages = new List<ChatMessage>();
        if (!string.IsNullOrWhiteSpace(request.System))
        {
            messages.Add(new ChatMessage(ChatRole.System, request.System));
        }

        messages.Add(new ChatMessage(ChatRole.User, request.Prompt));
        var clock = Stopwatch.StartNew();
        var response = await run.Client.GetResponseAsync(messages, options: null, cancellationToken).ConfigureAwait(false);
        var winner = response.AdditionalProperties?.TryGetValue(ResponseProperties.Winner, out var name) == true ? name as string : null;
        return new RespondResult(
            response.Text,
            run.Strategy,
            run.Kind,
            winner,
            response.FinishReason?.Value,
            clock.Elapsed.TotalSeconds,
            run.Counters(),
            run.Members());
    }
}
