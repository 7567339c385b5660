using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Medley.Host.Responses;

/// <summary>
/// The outermost layer of a run's chat client: fills what a request leaves unset from the run config's
/// <c>sampling</c> section, and credits the member a response names in <see cref="ResponseProperties.Winner"/>.
/// </summary>
internal sealed class RunFrontChatClient : DelegatingChatClient
{
    private readonly ChatOptions? _defaults;
    private readonly IReadOnlyDictionary<string, MemberAccount> _accounts;

    public RunFrontChatClient(IChatClient inner, ChatOptions? defaults, IReadOnlyDictionary<string, MemberAccount> accounts)
        : base(inner)
    {
        _defaults = defaults;
        _accounts = accounts;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, WithDefaults(options), cancellationToken).ConfigureAwait(false);
        Credit(response.AdditionalProperties);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var credited = false;
        await foreach (var update in base.GetStreamingResponseAsync(messages, WithDefaults(options), cancellationToken).ConfigureAwait(false))
        {
            credited = credited || Credit(update.AdditionalProperties);
            yield return update;
        }
    }

    private bool Credit(AdditionalPropertiesDictionary? properties)
    {
        if (properties?.TryGetValue(ResponseProperties.Winner, out var winner) == true && winner is string name && _accounts.TryGetValue(name, out var account))
        {
            account.RecordWin();
            return true;
        }

        return false;
    }

    private ChatOptions? WithDefaults(ChatOptions? options)
    {
        if (_defaults is null)
        {
            return options;
        }

        if (options is null)
        {
            return _defaults.Clone();
        }

        var merged = options.Clone();
        merged.Temperature ??= _defaults.Temperature;
        merged.TopP ??= _defaults.TopP;
        merged.TopK ??= _defaults.TopK;
        merged.MaxOutputTokens ??= _defaults.MaxOutputTokens;
        merged.Seed ??= _defaults.Seed;
        merged.StopSequences ??= _defaults.StopSequences;
        return merged;
    }
}
