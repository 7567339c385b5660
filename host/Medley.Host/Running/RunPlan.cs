using Medley.Host.Plugins;
using Medley.Host.Schemas;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using Medley.Sdk.Responses;

namespace Medley.Host.Running;

/// <summary>
/// A run config matched to its strategy: the strategy resolved in the catalog, its kind checked and the models'
/// roles checked against its manifest, all before any model is loaded.
/// </summary>
public sealed class RunPlan
{
    private RunPlan(RunConfig config, StrategyDescriptor strategy, IMedleyStrategy implementation)
    {
        Config = config;
        Strategy = strategy;
        Implementation = implementation;
    }

    /// <summary>The run config.</summary>
    public RunConfig Config { get; }

    /// <summary>The strategy as its manifest describes it.</summary>
    public StrategyDescriptor Strategy { get; }

    /// <summary>The strategy's implementation: an <see cref="IStepCombiner"/>, an <see cref="IDecodingStrategy"/>, or (from <see cref="CreateAny"/>) an <see cref="IResponseStrategy"/>.</summary>
    public IMedleyStrategy Implementation { get; }

    /// <summary>The strategy's parameters.</summary>
    public StrategyParameters Parameters => new(Config.Parameters);

    /// <summary>Resolves and checks a run config's strategy.</summary>
    /// <param name="catalog">Where strategies come from.</param>
    /// <param name="config">The run config.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="MedleyException">When the strategy is unknown, not token-level, or the roles do not fit.</exception>
    public static RunPlan Create(PluginCatalog catalog, RunConfig config) => Create(catalog, config, allowResponse: false);

    /// <summary>
    /// Resolves and checks a run config for any kind of run served as a chat client: token-level (step, decoding)
    /// or response-level strategies.
    /// </summary>
    /// <param name="catalog">Where strategies come from.</param>
    /// <param name="config">The run config.</param>
    /// <returns>The plan; <see cref="Implementation"/> may also be an <see cref="IResponseStrategy"/>.</returns>
    /// <exception cref="MedleyException">When the strategy is unknown or of no runnable kind, or the roles do not fit.</exception>
    public static RunPlan CreateAny(PluginCatalog catalog, RunConfig config) => Create(catalog, config, allowResponse: true);

    private static RunPlan Create(PluginCatalog catalog, RunConfig config, bool allowResponse)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(config);
        var strategy = catalog.GetStrategy(config.Strategy);
        IMedleyStrategy implementation = strategy.Kind switch
        {
            StrategyKind.Step => catalog.Resolve<IStepCombiner>(strategy.Name),
            StrategyKind.Decoding => catalog.Resolve<IDecodingStrategy>(strategy.Name),
            StrategyKind.Response when allowResponse => catalog.Resolve<IResponseStrategy>(strategy.Name),
            _ when allowResponse => throw new MedleyException(
                RunErrorCodes.StrategyKindInvalid,
                $"Strategy '{strategy.Name}' is a {StrategyKinds.ToName(strategy.Kind)} strategy: a run takes a step, decoding or response strategy. " +
                $"Available: {Describe(catalog.Strategies.Where(s => s.Kind is StrategyKind.Step or StrategyKind.Decoding or StrategyKind.Response).Select(s => s.Name))}."),
            _ => throw new MedleyException(
                RunErrorCodes.StrategyKindInvalid,
                $"Strategy '{strategy.Name}' is a {StrategyKinds.ToName(strategy.Kind)} strategy: medley run takes a step or decoding strategy. " +
                $"Available: {Describe(catalog.Strategies.Where(s => s.Kind is StrategyKind.Step or StrategyKind.Decoding).Select(s => s.Name))}."),
        };
        RunRoles.Check(strategy, config);
        if (strategy.Kind != StrategyKind.Response)
        {
            CheckLocal(strategy, config);
        }

        CheckMemberParameters(strategy, config);
        return new RunPlan(config, strategy, implementation);
    }

    // Token-level strategies read every member's logits, which a remote chat endpoint does not give.
    private static void CheckLocal(StrategyDescriptor strategy, RunConfig config)
    {
        var remote = config.Members.Where(m => m.IsRemote).Select(m => $"'{m.Name}' (models.{m.Role})").ToList();
        if (remote.Count > 0)
        {
            var where = config.Source.Length == 0 ? "The run config" : $"Run config '{config.Source}'";
            throw new MedleyException(
                RunErrorCodes.MemberRemote,
                $"{where} names remote member(s) {string.Join(", ", remote)}, but strategy '{strategy.Name}' is token-level ({StrategyKinds.ToName(strategy.Kind)}) and needs every member's logits: give local ONNX model folders ('path'), or use a response strategy.");
        }
    }

    // Per-member parameters (like weight) follow the same schema as the strategy's own: the manifest marks them
    // with x-medley-scope "model", and a misspelt one is caught here rather than silently ignored.
    private static void CheckMemberParameters(StrategyDescriptor strategy, RunConfig config)
    {
        var problems = new List<string>();
        var schema = strategy.ParametersSchema is { } element ? JsonSchemaChecker.Build(element) : null;
        foreach (var member in config.Members.Where(m => m.Parameters.Names.Any()))
        {
            if (schema is null)
            {
                problems.Add($"member '{member.Name}' (models.{member.Role}): strategy '{strategy.Name}' takes no parameters, but {string.Join(", ", member.Parameters.Names.Select(n => $"'{n}'"))} were given");
                continue;
            }

            problems.AddRange(JsonSchemaChecker.Evaluate(schema, member.Parameters.Json)
                .Select(problem => $"member '{member.Name}' (models.{member.Role}): parameters of strategy '{strategy.Name}' at {problem}"));
        }

        if (problems.Count > 0)
        {
            var where = config.Source.Length == 0 ? "The run config" : $"Run config '{config.Source}'";
            throw new MedleyException(
                RunErrorCodes.ConfigInvalid,
                $"{where} has member parameters strategy '{strategy.Name}' does not accept:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}",
                details: problems);
        }
    }

    private static string Describe(IEnumerable<string> names) => names.Any() ? string.Join(", ", names) : "none";
}
