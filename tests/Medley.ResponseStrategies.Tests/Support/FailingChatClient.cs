namespace Medley.ResponseStrategies.Tests.Support;

/// <summary>A member whose every call fails, as a server answering 500 after the host's retries would.</summary>
public sealed class FailingChatClient : ScriptedChatClient
{
    public FailingChatClient()
        : base("never returned")
    {
    }

    protected override Task AnswerDelayAsync(CancellationToken cancellationToken) =>
        Task.FromException(new HttpRequestException("500 Internal Server Error"));
}
