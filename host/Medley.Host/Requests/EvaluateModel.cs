using Mediator;
using Medley.Host.Evaluation;
using Medley.Host.Pipeline;
using Medley.Host.Plugins;
using Medley.Host.Runtime;
using Medley.Host.Runtime.Devices;
using Medley.Host.Tokenization;
using Medley.Sdk;

namespace Medley.Host.Requests;

/// <summary>Scores one model on a skills task file by exact match of its greedy answers (<c>medley eval --model</c>).</summary>
/// <param name="ModelPath">The ONNX model folder (or file).</param>
/// <param name="TasksPath">The JSON Lines task file.</param>
public sealed record EvaluateModel(string ModelPath, string TasksPath) : IRequest<EvaluationReport>, IValidatableRequest
{
    /// <summary>
    /// Items run at once unless <see cref="Parallelism"/> says otherwise: one per core, each forward pass on one
    /// thread, which beat one item at a time with ONNX Runtime's multi-threaded operators (docs/cli.md has the numbers).
    /// </summary>
    public static int DefaultParallelism => Environment.ProcessorCount;

    /// <summary>Items kept per task (the first ones in the file); null runs all.</summary>
    public int? Limit { get; init; }

    /// <summary>The device (<c>auto</c>, <c>cpu</c>, <c>cuda:0</c>…).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Items decoded at once, each in its own decoding session over the shared model.</summary>
    public int Parallelism { get; init; } = DefaultParallelism;

    /// <summary>Receives items completed, if set.</summary>
    public IProgress<ProgressUpdate>? Progress { get; init; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
        {
            yield return "--model is empty: expected an ONNX model folder";
        }

        if (string.IsNullOrWhiteSpace(TasksPath))
        {
            yield return "--tasks is empty: expected a JSON Lines task file";
        }

        if (Limit < 1)
        {
            yield return $"--limit is {Limit}: expected at least 1 item per task";
        }

        if (Parallelism < 1)
        {
            yield return $"--parallel is {Parallelism}: expected at least 1";
        }
    }
}

/// <summary>Handles <see cref="EvaluateModel"/>.</summary>
public sealed class EvaluateModelHandler : IRequestHandler<EvaluateModel, EvaluationReport>
{
    private readonly PluginCatalog _catalog;

    /// <summary>Creates the handler.</summary>
    /// <param name="catalog">Where provider plugins come from.</param>
    public EvaluateModelHandler(PluginCatalog catalog) => _catalog = catalog;

    /// <inheritdoc />
    public async ValueTask<EvaluationReport> Handle(EvaluateModel request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The task file is read first: a typo in it should not wait for a model to load.
        var items = TaskFileReader.FirstPerTask(TaskFileReader.Read(request.TasksPath), request.Limit);
        var selection = new DeviceSelector(_catalog).Select(request.Device);
        var device = $"{selection.Candidate.DeviceType}:{selection.Device.Index}";
        using var answerer = ModelAnswerer.Load(request.ModelPath, selection, request.Parallelism);
        var settings = new EvaluationRunSettings(request.TasksPath, request.Limit, request.Parallelism, request.Progress);
        return await Evaluator.RunAsync(answerer, items, settings, cancellationToken).ConfigureAwait(false);
    }
}
