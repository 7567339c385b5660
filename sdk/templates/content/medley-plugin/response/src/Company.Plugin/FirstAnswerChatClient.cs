using System.Runtime.CompilerServices;
using Medley.Sdk;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Company.Plugin;

/// <summary>The strategy as a chat client: members are asked in order until one gives a non-empty answer.</summary>
internal sealed partial class FirstAnswerChatClient(IReadOnlyList<ResponseMember> members, ILogger<FirstAnswerChatClient> logger) : IChatClient
{
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = messages.ToList();
        foreach (var member in members)
        {
            ChatResponse response;
            try
            {
                response = await member.Client.GetResponseAsync(conversation, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One member's outage must not fail the request while another member can still answer.
                LogMemberFailed(logger, member.Name, ex.Message);
                continue;
            }

            if (!string.IsNullOrWhiteSpace(response.Text))
            {
                return response;
            }
        }

        throw new MedleyException(
            "response.no_answer",
            $"None of the {members.Count} member(s) ({string.Join(", ", members.Select(m => m.Name))}) gave a non-empty answer.");
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Whether an answer is empty is known only at its end, so the chosen answer is streamed once complete.
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    // The members belong to the host, which disposes them.
    public void Dispose()
    {
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Member '{Member}' failed and is skipped: {Reason}")]
    private static partial void LogMemberFailed(ILogger logger, string member, string reason);
}
