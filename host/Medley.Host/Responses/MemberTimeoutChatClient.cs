using System.Globalization;
using System.Runtime.CompilerServices;
using Medley.Sdk;
using Microsoft.Extensions.AI;

namespace Medley.Host.Responses;

/// <summary>
/// Bounds a local member's calls: past <c>timeout_s</c> the call is cancelled and reported as the member's timeout
/// (a <see cref="MedleyException"/>), which a strategy's fan-out treats as a failed member, not a cancelled request.
/// </summary>
internal sealed class MemberTimeoutChatClient : DelegatingChatClient
{
    private readonly string _name;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public MemberTimeoutChatClient(IChatClient inner, string name, TimeSpan timeout, TimeProvider time)
        : base(inner)
    {
        _name = name;
        _timeout = timeout;
        _time = time;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var timer = new CancellationTokenSource(_timeout, _time);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            return await base.GetResponseAsync(messages, options, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut();
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var timer = new CancellationTokenSource(_timeout, _time);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var enumerator = base.GetStreamingResponseAsync(messages, options, limit.Token).GetAsyncEnumerator(limit.Token);
        try
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw TimedOut();
                }

                yield return enumerator.Current;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private MedleyException TimedOut() => new(
        ResponseErrorCodes.MemberTimeout,
        string.Create(CultureInfo.InvariantCulture, $"Member '{_name}' did not answer within its timeout_s of {_timeout.TotalSeconds:0.###} s; raise timeout_s in the run config or lower max_tokens."),
        MedleyErrorKind.Failure);
}
