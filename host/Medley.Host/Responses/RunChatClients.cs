using System.Text.Json;
using Medley.Host.Chat;
using Medley.Host.Pipeline;
using Medley.Host.Plugins;
using Medley.Host.Running;
using Medley.Sdk;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Host.Responses;

/// <summary>
/// The one entry point that turns any run config into an <see cref="IChatClient"/>: response strategies over local
/// and remote members, and token-level (step, decoding) strategies over local models. <c>medley respond</c>,
/// <c>medley eval --run</c> and <c>medley serve</c> all go through it.
/// </summary>
public static class RunChatClients
{
    /// <summary>Builds a run's chat client: roles, strategy and keys are checked before anything loads.</summary>
    /// <param name="catalog">Where strategies (and execution providers) come from.</param>
    /// <param name="config">The run config.</param>
    /// <param name="loggerFactory">Loggers for the strategy.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    /// <returns>The client with its accounting; dispose it to free the members.</returns>
    /// <exception cref="MedleyException">When the strategy, roles, parameters or keys do not fit, or a model cannot load.</exception>
    public static Task<RunChatClient> CreateAsync(PluginCatalog catalog, RunConfig config, ILoggerFactory loggerFactory, CancellationToken cancellationToken) =>
        CreateAsync(catalog, config, loggerFactory, new RunChatClientOptions(), cancellationToken);

    /// <summary>Builds a run's chat client with explicit clock and retry settings.</summary>
    /// <param name="catalog">Where strategies (and execution providers) come from.</param>
    /// <param name="config">The run config.</param>
    /// <param name="loggerFactory">Loggers for the strategy.</param>
    /// <param name="options">Clock and backoff.</param>
    /// <param name="cancellationToken">Cancels loading.</param>
    /// <returns>The client with its accounting; dispose it to free the members.</returns>
    /// <exception cref="MedleyException">When the strategy, roles, parameters or keys do not fit, or a model cannot load.</exception>
    public static async Task<RunChatClient> CreateAsync(
        PluginCatalog catalog, RunConfig config, ILoggerFactory loggerFactory, RunChatClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(options);
        var plan = RunPlan.CreateAny(catalog, config);
        var parameterProblems = ParameterProblems(catalog, config);
        if (parameterProblems.Count > 0)
        {
            throw RequestProblems.Invalid(parameterProblems);
        }

        var accounts = config.Members
            .Select(m => new MemberAccount(m.Name, m.Role, m.Remote is { } r ? $"{r.Model} @ {r.Endpoint}" : m.Path, m.Cost))
            .ToList();
        var kind = StrategyKinds.ToName(plan.Strategy.Kind);
        if (plan.Implementation is IResponseStrategy response)
        {
            return await CreateResponseRunAsync(catalog, plan, response, accounts, loggerFactory, options, cancellationToken).ConfigureAwait(false);
        }

        var loaded = await LoadedMembers.LoadAsync(catalog, config, cancellationToken).ConfigureAwait(false);
        try
        {
            var client = new TokenRunChatClient(catalog, plan, loaded, accounts, loggerFactory.CreateLogger("Medley.Run"), options.TimeProvider);
            var front = new RunFrontChatClient(client, defaults: null, accounts.ToDictionary(a => a.Name, StringComparer.Ordinal));
            return new RunChatClient(front, plan.Strategy.Name, kind, accounts, () => client.LastCounters, [loaded], loaded.Members[0].Model.Tokenizer);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    private static async Task<RunChatClient> CreateResponseRunAsync(
        PluginCatalog catalog,
        RunPlan plan,
        IResponseStrategy strategy,
        List<MemberAccount> accounts,
        ILoggerFactory loggerFactory,
        RunChatClientOptions options,
        CancellationToken cancellationToken)
    {
        var config = plan.Config;
        RemoteMemberClients.CheckKeys(config.Members, config.Source);
        var owned = new List<IDisposable>();
        try
        {
            var locals = config.Members.Where(m => !m.IsRemote).ToList();
            var loaded = locals.Count == 0 ? null : await LoadedMembers.LoadAsync(catalog, config with { Members = locals }, cancellationToken).ConfigureAwait(false);
            if (loaded is not null)
            {
                owned.Add(loaded);
            }

            var remotes = RemoteMemberClients.Create(config.Members.Select((m, i) => (m, accounts[i])).Where(p => p.m.IsRemote), options.RetryDelay);
            owned.Add(remotes);
            var members = new List<ResponseMember>();
            for (var i = 0; i < config.Members.Count; i++)
            {
                var member = config.Members[i];
                IChatClient client;
                if (member.IsRemote)
                {
                    client = new AccountingChatClient(remotes.CreateClient(member), accounts[i], options.TimeProvider, countAttempts: false);
                }
                else
                {
                    var model = loaded!.Models[locals.IndexOf(member)];
                    client = new OnnxChatClient(model, member.Name, ownsModel: false, member.PromptFormat);
                    if (member.Timeout is { } timeout)
                    {
                        client = new MemberTimeoutChatClient(client, member.Name, timeout, options.TimeProvider);
                    }

                    client = new AccountingChatClient(client, accounts[i], options.TimeProvider, countAttempts: true);
                }

                owned.Add(client);
                members.Add(new ResponseMember(member.Name, member.Role, client, member.Parameters));
            }

            var counters = new StrategyCounters();
            var context = new ResponseStrategyContext(members, plan.Parameters, counters, loggerFactory, options.TimeProvider);
            var ensemble = strategy.CreateClient(context);
            var front = new RunFrontChatClient(ensemble, config.HasSampling ? Defaults(config) : null, accounts.ToDictionary(a => a.Name, StringComparer.Ordinal));
            return new RunChatClient(front, plan.Strategy.Name, StrategyKinds.ToName(plan.Strategy.Kind), accounts, counters.Snapshot, owned, loaded?.Members[0].Model.Tokenizer);
        }
        catch
        {
            foreach (var disposable in Enumerable.Reverse(owned))
            {
                disposable.Dispose();
            }

            throw;
        }
    }

    // The run's sampling section becomes every request's default options (a request's own values win).
    private static ChatOptions Defaults(RunConfig config)
    {
        var sampling = config.Sampling;
        return new ChatOptions
        {
            Temperature = (float)sampling.Temperature,
            TopP = (float)sampling.TopP,
            TopK = sampling.TopK > 0 ? sampling.TopK : null,
            MaxOutputTokens = sampling.MaxTokens,
            Seed = sampling.Seed is { } seed ? (long)seed : null,
            StopSequences = sampling.StopStrings.Count > 0 ? sampling.StopStrings.ToList() : null,
        };
    }

    /// <summary>What is wrong with a run config's strategy parameters against the strategy's schema; empty when they fit.</summary>
    /// <param name="catalog">Where the strategy comes from.</param>
    /// <param name="config">The run config.</param>
    /// <returns>Every problem, each naming the parameter.</returns>
    public static IReadOnlyList<string> ParameterProblems(PluginCatalog catalog, RunConfig config) =>
        StrategyParameterProblems.Check(catalog, new RunParameters(config)).ToList();

    private sealed record RunParameters(RunConfig Config) : IStrategyParametersRequest
    {
        public string StrategyName => Config.Strategy;

        public StrategyKind? StrategyKind => null;

        public JsonElement Parameters => Config.Parameters;
    }
}
