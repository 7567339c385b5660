using Medley.Sdk;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Ensemble.Responses;

/// <summary>
/// Asks every member for <see cref="FanOutSettings.Samples"/> answers, at most <see cref="FanOutSettings.Concurrency"/>
/// calls at a time. A member whose call fails is dropped from this request's pool with a warning; fewer than
/// <see cref="FanOutSettings.Quorum"/> answers left is an error.
/// </summary>
internal sealed class ResponseFanOut
{
    private readonly IReadOnlyList<ResponseMember> _members;
    private readonly FanOutSettings _settings;
    private readonly StrategyCounters _counters;
    private readonly ILogger _logger;

    public ResponseFanOut(IReadOnlyList<ResponseMember> members, FanOutSettings settings, StrategyCounters counters, ILogger logger)
    {
        if (members.Count == 0)
        {
            throw new MedleyException("strategy.members", "A response ensemble needs at least one member with role 'member'; the run config names none.");
        }

        if (settings.Quorum > members.Count * settings.Samples)
        {
            throw new MedleyException(
                "parameter.invalid",
                $"Parameter 'quorum' is {settings.Quorum}, but {members.Count} member(s) × {settings.Samples} sample(s) give at most {members.Count * settings.Samples} answer(s).");
        }

        _members = members;
        _settings = settings;
        _counters = counters;
        _logger = logger;
    }

    public async Task<IReadOnlyList<Candidate>> CollectAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var conversation = messages.ToList();
        using var gate = new SemaphoreSlim(_settings.Concurrency);
        var calls = new List<(int Member, Task<Candidate> Call)>();
        for (var member = 0; member < _members.Count; member++)
        {
            for (var sample = 0; sample < _settings.Samples; sample++)
            {
                calls.Add((member, AskAsync(_members[member], sample, conversation, options, gate, cancellationToken)));
            }
        }

        // Waiting for every call, failed or not, means no member call outlives the request (cancellation included).
        try
        {
            await Task.WhenAll(calls.Select(c => c.Call)).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Member failures are inspected one by one below.
        }

        cancellationToken.ThrowIfCancellationRequested();
        var failed = new HashSet<int>();
        foreach (var (member, call) in calls)
        {
            if (!call.IsCompletedSuccessfully && failed.Add(member))
            {
                var error = call.Exception?.GetBaseException();
                _counters.Add("dropped_members");
                _logger.LogWarning(error, "Member '{Member}' failed and is dropped from this request's pool: {Message}", _members[member].Name, error?.Message ?? "its call was cancelled though the request was not (a timeout)");
            }
        }

        var pool = calls.Where(c => !failed.Contains(c.Member)).Select(c => c.Call.Result).ToList();
        _counters.Add("member_calls", calls.Count);
        if (pool.Count < _settings.Quorum)
        {
            var names = string.Join(", ", failed.Select(m => $"'{_members[m].Name}'"));
            throw new MedleyException(
                "response.quorum_lost",
                $"Only {pool.Count} answer(s) remain after dropping the failed member(s) {names}; parameter 'quorum' asks for at least {_settings.Quorum}.");
        }

        return pool;
    }

    private async Task<Candidate> AskAsync(ResponseMember member, int sample, List<ChatMessage> conversation, ChatOptions? options, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A slot freed by a cancelled call can reach a waiter before the waiter sees the cancellation itself.
            cancellationToken.ThrowIfCancellationRequested();
            var response = await member.Client.GetResponseAsync(conversation, OptionsForSample(options, sample), cancellationToken).ConfigureAwait(false);
            return new Candidate(member.Name, sample, response);
        }
        finally
        {
            gate.Release();
        }
    }

    // Samples drawn with one seed would all be the same answer, which defeats voting; each sample gets its own.
    private static ChatOptions? OptionsForSample(ChatOptions? options, int sample)
    {
        if (options?.Seed is not { } seed || sample == 0)
        {
            return options;
        }

        var copy = options.Clone();
        copy.Seed = seed + sample;
        return copy;
    }
}
