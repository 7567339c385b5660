using Mediator;
using Medley.Host.Merging.Configuration;
using Medley.Host.Merging.Engine;
using Medley.Host.Pipeline;
using Medley.Host.Plugins;
using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Host.Requests;

/// <summary>Merges checkpoints as a mergekit-format config says (<c>medley merge</c>).</summary>
/// <param name="ConfigPath">The YAML config.</param>
/// <param name="Options">Output folder and run settings.</param>
public sealed record MergeModels(string ConfigPath, MergeRunOptions Options) : IRequest<MergeReport>, IValidatableRequest
{
    /// <summary>Receives progress (bytes of input merged), if set.</summary>
    public IProgress<ProgressUpdate>? Progress { get; init; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ConfigPath))
        {
            yield return "field 'configPath' is empty: expected a merge config file";
        }

        if (string.IsNullOrWhiteSpace(Options.OutputFolder))
        {
            yield return "field 'outputFolder' (-o) is empty: expected the folder to write the merged model to";
        }

        if (Options.Threads < 1)
        {
            yield return $"--threads is {Options.Threads}: expected at least 1";
        }

        if (Options.ShardSize < 1)
        {
            yield return $"--shard-size is {Options.ShardSize}: expected a positive size";
        }

        if (Options.MemoryBudget < 1)
        {
            yield return $"--memory-budget is {Options.MemoryBudget}: expected a positive size";
        }
    }
}

/// <summary>Handles <see cref="MergeModels"/>.</summary>
public sealed class MergeModelsHandler : IRequestHandler<MergeModels, MergeReport>
{
    private readonly PluginCatalog _catalog;

    /// <summary>Creates the handler.</summary>
    /// <param name="catalog">Where merge methods come from.</param>
    public MergeModelsHandler(PluginCatalog catalog) => _catalog = catalog;

    /// <inheritdoc />
    public async ValueTask<MergeReport> Handle(MergeModels request, CancellationToken cancellationToken)
    {
        var methods = _catalog.Strategies
            .Where(s => s.Kind == StrategyKind.Merge)
            .Select(s => MergeMethodInfo.FromMethod(s.Name, _catalog.Resolve<IMergeMethod>(s.Name), s.ParametersSchema))
            .ToList();
        var loader = new MergeConfigLoader(new MergeMethodCatalog(methods), new ConfigJsonLayerCountReader());
        var config = loader.LoadFile(request.ConfigPath);
        var engine = new MergeEngine(_catalog.Resolve<IMergeMethod>(config.Method.Name));
        // The merge is CPU-bound and synchronous; a worker thread keeps the caller responsive to Ctrl+C.
        return await Task.Run(() => engine.Run(config, request.Options, request.Progress, cancellationToken), cancellationToken).ConfigureAwait(false);
    }
}
