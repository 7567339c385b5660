using System.ClientModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using Medley.Host.Running;
using Medley.Sdk;
using Microsoft.Extensions.AI;
using Polly.Timeout;

namespace Medley.Host.Responses;

/// <summary>
/// Turns what a remote member's HTTP stack throws once its retries are spent (a Polly timeout, an OpenAI client
/// error, a socket error, a body that is no chat completion) into a <see cref="MedleyException"/> naming the member,
/// its server and its limits.
/// </summary>
internal sealed class RemoteFailureChatClient : DelegatingChatClient
{
    private readonly RunMemberConfig _member;
    private readonly RemoteMemberConfig _remote;
    private readonly TimeSpan _attemptTimeout;

    public RemoteFailureChatClient(IChatClient inner, RunMemberConfig member, TimeSpan attemptTimeout)
        : base(inner)
    {
        _member = member;
        _remote = member.Remote!;
        _attemptTimeout = attemptTimeout;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (Translate(error, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var enumerator = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
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
                catch (Exception error) when (Translate(error, cancellationToken) is { } translated)
                {
                    throw translated;
                }

                yield return enumerator.Current;
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private MedleyException? Translate(Exception error, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested || error is MedleyException)
        {
            return null;
        }

        var who = $"Member '{_member.Name}' (model '{_remote.Model}' at {_remote.Endpoint})";
        var tries = _member.Retries == 1 ? "1 retry" : $"{_member.Retries} retries";
        for (var inner = error; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutRejectedException)
            {
                return new MedleyException(
                    ResponseErrorCodes.MemberTimeout,
                    string.Create(CultureInfo.InvariantCulture, $"{who} did not answer within timeout_s of {_attemptTimeout.TotalSeconds:0.###} s per attempt ({tries}); raise timeout_s or check the server."),
                    kind: MedleyErrorKind.Failure, innerException: error);
            }
        }

        return error switch
        {
            ClientResultException result => new MedleyException(
                ResponseErrorCodes.MemberFailed,
                result.Status == 0
                    ? $"{who} could not be reached ({tries}): {result.Message}"
                    : string.Create(CultureInfo.InvariantCulture, $"{who} answered HTTP {result.Status} ({tries} for transient errors): {result.Message}"),
                kind: MedleyErrorKind.Failure, innerException: error),
            HttpRequestException request => new MedleyException(ResponseErrorCodes.MemberFailed, $"{who} could not be reached ({tries}): {request.Message}", kind: MedleyErrorKind.Failure, innerException: error),

            // A 200 whose body is not an OpenAI chat completion (a proxy's HTML page, a truncated stream): the server
            // is not speaking the protocol, which no retry fixes.
            System.Text.Json.JsonException or FormatException or InvalidOperationException or ArgumentException => new MedleyException(
                ResponseErrorCodes.MemberFailed,
                $"{who} answered with something that is not an OpenAI chat completion ({error.GetType().Name}: {error.Message}); check that the endpoint is an OpenAI-compatible /v1 base URL.",
                kind: MedleyErrorKind.Failure, innerException: error),
            _ => null,
        };
    }
}
