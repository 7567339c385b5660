using Medley.Sdk.Models;
using Microsoft.Extensions.AI;

namespace Medley.Host.Responses;

/// <summary>
/// A run config made into one chat client (see <see cref="RunChatClients.CreateAsync(Plugins.PluginCatalog, Running.RunConfig, Microsoft.Extensions.Logging.ILoggerFactory, CancellationToken)"/>),
/// with each member's accounting and the strategy's counters. Disposing it disposes the strategy's client, the
/// members' HTTP clients and the loaded local models.
/// </summary>
public sealed class RunChatClient : IDisposable
{
    private readonly IReadOnlyList<MemberAccount> _accounts;
    private readonly Func<IReadOnlyDictionary<string, double>> _counters;
    private readonly IReadOnlyList<IDisposable> _owned;
    private bool _disposed;

    internal RunChatClient(
        IChatClient client,
        string strategy,
        string kind,
        IReadOnlyList<MemberAccount> accounts,
        Func<IReadOnlyDictionary<string, double>> counters,
        IReadOnlyList<IDisposable> owned,
        ITextTokenizer? tokenizer)
    {
        Tokenizer = tokenizer;
        Client = client;
        Strategy = strategy;
        Kind = kind;
        _accounts = accounts;
        _counters = counters;
        _owned = owned;
    }

    /// <summary>The run as a chat client: the response strategy's client, or the token-level run's.</summary>
    public IChatClient Client { get; }

    /// <summary>The first local member's tokenizer (for answer caps), if the run has a local member.</summary>
    internal ITextTokenizer? Tokenizer { get; }

    /// <summary>The strategy's name.</summary>
    public string Strategy { get; }

    /// <summary>The strategy's kind: <c>step</c>, <c>decoding</c> or <c>response</c>.</summary>
    public string Kind { get; }

    /// <summary>Each member's accounting so far, in run-config order.</summary>
    /// <returns>Snapshots.</returns>
    public IReadOnlyList<MemberUsage> Members() => _accounts.Select(a => a.Snapshot()).ToList();

    /// <summary>
    /// The strategy's counters: a response strategy's as it keeps them (totals and last-request values, see its
    /// docs), a token-level strategy's for the last request.
    /// </summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyDictionary<string, double> Counters() => _counters();

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Client.Dispose();
        foreach (var owned in _owned.Reverse())
        {
            owned.Dispose();
        }
    }
}
