using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Medley.Host.Responses;

/// <summary>
/// Records every call of one member in its <see cref="MemberAccount"/>: latency, usage tokens, failures. It sits
/// outside the member's timeout and retries, so a call is counted once however many attempts it took.
/// </summary>
internal sealed class AccountingChatClient : DelegatingChatClient
{
    private readonly MemberAccount _account;
    private readonly TimeProvider _time;
    private readonly bool _countAttempts;

    /// <param name="inner">The member.</param>
    /// <param name="account">Where its numbers go.</param>
    /// <param name="time">The clock latency is measured on.</param>
    /// <param name="countAttempts">Whether each call is also one attempt (local members; remote ones count HTTP attempts themselves).</param>
    public AccountingChatClient(IChatClient inner, MemberAccount account, TimeProvider time, bool countAttempts)
        : base(inner)
    {
        _account = account;
        _time = time;
        _countAttempts = countAttempts;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var start = Begin();
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            _account.RecordCall(_time.GetElapsedTime(start), response.Usage, failed: false);
            return response;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _account.RecordCall(_time.GetElapsedTime(start), usage: null, failed: true);
            throw;
        }
        catch (OperationCanceledException)
        {
            // The caller gave up: the call took this long, but the member did not fail.
            _account.RecordCall(_time.GetElapsedTime(start), usage: null, failed: false);
            throw;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var start = Begin();
        var usage = new UsageDetails();
        var failed = false;
        var enumerator = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    update = enumerator.Current;
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // Only an error from the member is a failure: a consumer that stops early or cancels is not.
                    failed = true;
                    throw;
                }

                foreach (var content in update.Contents.OfType<UsageContent>())
                {
                    usage.Add(content.Details);
                }

                yield return update;
            }
        }
        finally
        {
            _account.RecordCall(_time.GetElapsedTime(start), usage, failed);
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private long Begin()
    {
        if (_countAttempts)
        {
            _account.RecordAttempt();
        }

        return _time.GetTimestamp();
    }
}
