using Medley.Sdk;
using Microsoft.Extensions.AI;

namespace Medley.Server;

/// <summary>
/// The models a server answers for: each id maps to a factory that is called once, on the first request for that
/// id (loading a model is slow and most served models may never be asked for), and whose client is disposed with
/// the registry.
/// </summary>
public sealed class ServedModelRegistry : IAsyncDisposable
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    /// <summary>The registered ids, in registration order.</summary>
    public IReadOnlyList<string> Ids => _order;

    /// <summary>Registers a model.</summary>
    /// <param name="id">The id clients name in <c>model</c>.</param>
    /// <param name="owner">Reported as <c>owned_by</c> in <c>/v1/models</c>.</param>
    /// <param name="factory">Creates the client; called at most once while it succeeds.</param>
    public void Add(string id, string owner, Func<CancellationToken, ValueTask<IChatClient>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (string.IsNullOrWhiteSpace(id))
        {
            throw new MedleyException(ServerErrorCodes.DuplicateModel, "A served model has an empty id.");
        }

        if (!_entries.TryAdd(id, new Entry(owner, factory, DateTimeOffset.UtcNow)))
        {
            throw new MedleyException(ServerErrorCodes.DuplicateModel, $"Two served models are both named '{id}'; model ids must be unique (rename one folder or file).");
        }

        _order.Add(id);
    }

    /// <summary>Whether <paramref name="id"/> is registered.</summary>
    public bool Contains(string id) => _entries.ContainsKey(id);

    /// <summary>Who owns a registered model and when it was registered.</summary>
    public (string Owner, DateTimeOffset Created) Describe(string id)
    {
        var entry = _entries[id];
        return (entry.Owner, entry.Created);
    }

    /// <summary>The client of a registered model, created on first use.</summary>
    public async ValueTask<IChatClient> GetAsync(string id, CancellationToken cancellationToken)
    {
        var entry = _entries[id];
        if (entry.Client is { } ready)
        {
            return ready;
        }

        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A failed factory leaves no client behind, so a later request tries again (the file may have been fixed).
            entry.Client ??= await entry.Factory(cancellationToken).ConfigureAwait(false);
            return entry.Client;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>Disposes every client that was created.</summary>
    public ValueTask DisposeAsync()
    {
        foreach (var entry in _entries.Values)
        {
            entry.Client?.Dispose();
            entry.Client = null;
            entry.Gate.Dispose();
        }

        _entries.Clear();
        _order.Clear();
        return ValueTask.CompletedTask;
    }

    private sealed class Entry(string owner, Func<CancellationToken, ValueTask<IChatClient>> factory, DateTimeOffset created)
    {
        public string Owner { get; } = owner;

        public Func<CancellationToken, ValueTask<IChatClient>> Factory { get; } = factory;

        public DateTimeOffset Created { get; } = created;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public volatile IChatClient? Client;
    }
}
