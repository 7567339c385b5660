using Mediator;
using Medley.Host.Evaluation;
using Medley.Host.Pipeline;
using Medley.Host.Plugins;
using Medley.Host.Responses;
using Medley.Host.Running;
using Medley.Sdk;
using Microsoft.Extensions.Logging;

namespace Medley.Host.Requests;

/// <summary>Scores a run-config strategy on a task file by exact match (<c>medley eval --run</c>).</summary>
/// <param name="RunPath">The run config (YAML).</param>
/// <param name="TasksPath">The JSON Lines task file.</param>
public sealed record EvaluateRun(string RunPath, string TasksPath) : IRequest<EvaluationReport>, IValidatableRequest
{
    /// <summary>Items kept per task (the first ones in the file); null runs all.</summary>
    public int? Limit { get; init; }

    /// <summary>Receives items completed, if set.</summary>
    public IProgress<ProgressUpdate>? Progress { get; init; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(RunPath))
        {
            yield return "--run is empty: expected a run config (YAML)";
        }

        if (string.IsNullOrWhiteSpace(TasksPath))
        {
            yield return "--tasks is empty: expected a JSON Lines task file";
        }

        if (Limit < 1)
        {
            yield return $"--limit is {Limit}: expected at least 1 item per task";
        }
    }
}

/// <summary>Handles <see cref="EvaluateRun"/>: loads the members once, then answers every item through the strategy.</summary>
public sealed class EvaluateRunHandler : IRequestHandler<EvaluateRun, EvaluationReport>
{
    private readonly PluginCatalog _catalog;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    /// <param name="catalog">Strategies and providers.</param>
    /// <param name="loggerFactory">Loggers for the strategy.</param>
    public EvaluateRunHandler(PluginCatalog catalog, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _catalog = catalog;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Medley.Eval");
    }

    /// <inheritdoc />
    public async ValueTask<EvaluationReport> Handle(EvaluateRun request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var items = TaskFileReader.FirstPerTask(TaskFileReader.Read(request.TasksPath), request.Limit);
        var config = RunConfigReader.Read(request.RunPath);
        if (_catalog.GetStrategy(config.Strategy).Kind == StrategyKind.Response)
        {
            return await EvaluateResponseRunAsync(request, config, items, cancellationToken).ConfigureAwait(false);
        }

        // Roles, strategy and parameters are checked before any model loads.
        var plan = RunPlan.Create(_catalog, config);
        var members = await LoadedMembers.LoadAsync(_catalog, config, cancellationToken).ConfigureAwait(false);
        RunAnswerer answerer;
        try
        {
            answerer = new RunAnswerer(plan, members, Path.GetFullPath(request.RunPath), _logger);
        }
        catch
        {
            members.Dispose();
            throw;
        }

        using var owned = answerer;
        // One item at a time: runs share the members' call counters (see RunAnswerer).
        var settings = new EvaluationRunSettings(request.TasksPath, request.Limit, Parallelism: 1, request.Progress);
        return await Evaluator.RunAsync(answerer, items, settings, cancellationToken).ConfigureAwait(false);
    }

    // A response strategy answers through its chat client: one user message per item, the prompt sent raw to members
    // whose prompt_format says so.
    private async Task<EvaluationReport> EvaluateResponseRunAsync(EvaluateRun request, RunConfig config, IReadOnlyList<EvaluationItem> items, CancellationToken cancellationToken)
    {
        var run = await RunChatClients.CreateAsync(_catalog, config, _loggerFactory, cancellationToken).ConfigureAwait(false);
        ChatRunAnswerer answerer;
        try
        {
            answerer = new ChatRunAnswerer(run, Path.GetFullPath(request.RunPath), greedy: !config.HasSampling);
        }
        catch
        {
            run.Dispose();
            throw;
        }

        using var owned = answerer;
        var settings = new EvaluationRunSettings(request.TasksPath, request.Limit, Parallelism: 1, request.Progress);
        return await Evaluator.RunAsync(answerer, items, settings, cancellationToken).ConfigureAwait(false);
    }
}
