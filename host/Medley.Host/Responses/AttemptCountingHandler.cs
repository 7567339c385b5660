namespace Medley.Host.Responses;

/// <summary>Sits inside the resilience handler, so it sees every HTTP attempt of a remote member, retries included.</summary>
internal sealed class AttemptCountingHandler : DelegatingHandler
{
    private readonly MemberAccount _account;

    public AttemptCountingHandler(MemberAccount account) => _account = account;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _account.RecordAttempt();
        return base.SendAsync(request, cancellationToken);
    }
}
