using System.Runtime.CompilerServices;
using System.Text.Json;
using Mediator;
using Medley.Host.Pipeline;
using Medley.Host.Plugins;
using Medley.Host.Running;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using Microsoft.Extensions.Logging;

namespace Medley.Host.Requests;

/// <summary>Runs a token-level strategy on one prompt, streaming its text (<c>medley run</c>).</summary>
/// <param name="Config">The run config.</param>
/// <param name="Prompt">The prompt.</param>
public sealed record RunStrategy(RunConfig Config, string Prompt) : IStreamRequest<TokenEvent>, IValidatableRequest, IStrategyParametersRequest
{
    /// <summary>
    /// Members loaded earlier for this config (an evaluator runs many prompts on one loaded set); when set, the
    /// handler uses them and leaves them loaded.
    /// </summary>
    public LoadedMembers? Members { get; init; }

    /// <summary>Filled in as the run goes: tokens, rates, forward passes per member, the strategy's counters.</summary>
    public RunStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public string StrategyName => Config.Strategy;

    /// <inheritdoc />
    public StrategyKind? StrategyKind => null;

    /// <inheritdoc />
    public JsonElement Parameters => Config.Parameters;

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Config.Strategy))
        {
            yield return "field 'strategy' is empty: expected a step or decoding strategy's name";
        }

        if (Config.Members.Count == 0)
        {
            yield return "field 'models' is empty: expected at least one model by role";
        }

        if (string.IsNullOrEmpty(Prompt))
        {
            yield return "--prompt is empty: expected the text to continue";
        }

        var sampling = Config.Sampling;
        if (sampling.MaxTokens < 1)
        {
            yield return $"sampling.max_tokens is {sampling.MaxTokens}: expected at least 1";
        }

        if (sampling.Temperature < 0)
        {
            yield return $"sampling.temperature is {sampling.Temperature}: expected 0 (greedy) or more";
        }

        if (sampling.TopP is <= 0 or > 1)
        {
            yield return $"sampling.top_p is {sampling.TopP}: expected a value in (0, 1]";
        }

        if (sampling.TopK < 0)
        {
            yield return $"sampling.top_k is {sampling.TopK}: expected 0 (off) or more";
        }
    }
}

/// <summary>Handles <see cref="RunStrategy"/>: plan (roles checked), load members (unless given), run the prompt.</summary>
public sealed class RunStrategyHandler : IStreamRequestHandler<RunStrategy, TokenEvent>
{
    private readonly PluginCatalog _catalog;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    /// <param name="catalog">Where strategies and execution providers come from.</param>
    /// <param name="loggerFactory">Loggers for the strategies.</param>
    public RunStrategyHandler(PluginCatalog catalog, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _catalog = catalog;
        _logger = loggerFactory.CreateLogger("Medley.Run");
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<TokenEvent> Handle(RunStrategy request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = RunPlan.Create(_catalog, request.Config);
        var loaded = request.Members ?? await LoadedMembers.LoadAsync(_catalog, request.Config, cancellationToken).ConfigureAwait(false);
        try
        {
            var runner = new StrategyRunner(plan, loaded, _logger);
            await foreach (var item in runner.RunAsync(request.Prompt, request.Statistics, cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
        finally
        {
            if (request.Members is null)
            {
                loaded.Dispose();
            }
        }
    }
}
