using System.ClientModel;
using System.ClientModel.Primitives;
using Medley.Host.Running;
using Medley.Sdk;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using Polly;

namespace Medley.Host.Responses;

/// <summary>
/// Builds remote members: the official OpenAI client's <see cref="IChatClient"/> adapter over an HttpClient from
/// <see cref="IHttpClientFactory"/> with Microsoft.Extensions.Http.Resilience's standard handler (total timeout,
/// retries with exponential backoff and jitter on 429, 5xx and timeouts, per-attempt timeout). Owns the clients'
/// service provider, so disposing it releases their handlers.
/// </summary>
internal sealed class RemoteMemberClients : IDisposable
{
    /// <summary>The attempt timeout of a member that names no <c>timeout_s</c> (HttpClient's own default).</summary>
    public static readonly TimeSpan DefaultAttemptTimeout = TimeSpan.FromSeconds(100);

    private readonly ServiceProvider _services;

    private RemoteMemberClients(ServiceProvider services) => _services = services;

    /// <summary>Checks every remote member's key variable, then registers one resilient HttpClient per member.</summary>
    public static RemoteMemberClients Create(IEnumerable<(RunMemberConfig Member, MemberAccount Account)> remotes, TimeSpan retryDelay)
    {
        var services = new ServiceCollection();
        foreach (var (member, account) in remotes)
        {
            var attempt = member.Timeout ?? DefaultAttemptTimeout;
            var builder = services.AddHttpClient(member.Name, http => http.Timeout = Timeout.InfiniteTimeSpan);
            builder.AddStandardResilienceHandler(options =>
            {
                options.AttemptTimeout.Timeout = attempt;
                options.TotalRequestTimeout.Timeout = TotalTimeout(attempt, member.Retries, retryDelay);
                // The breaker samples over at least two attempts (the handler's own validation rule).
                options.CircuitBreaker.SamplingDuration = attempt * 2 > TimeSpan.FromSeconds(30) ? attempt * 2 : TimeSpan.FromSeconds(30);
                options.Retry.Delay = retryDelay;
                options.Retry.MaxRetryAttempts = Math.Max(1, member.Retries);
                if (member.Retries == 0)
                {
                    // The standard handler always holds a retry strategy; retries: 0 makes it retry nothing.
                    options.Retry.ShouldHandle = _ => PredicateResult.False();
                }
            });
            // Added after the resilience handler, so it runs inside it: once per attempt.
            builder.AddHttpMessageHandler(() => new AttemptCountingHandler(account));
        }

        return new RemoteMemberClients(services.BuildServiceProvider());
    }

    /// <summary>Throws when a remote member's <c>api_key_env</c> names an unset variable.</summary>
    public static void CheckKeys(IEnumerable<RunMemberConfig> members, string source)
    {
        var problems = members
            .Where(m => m.Remote?.ApiKeyVariable is { } variable && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
            .Select(m => $"member '{m.Name}' (models.{m.Role}) takes its API key from the environment variable '{m.Remote!.ApiKeyVariable}' (api_key_env), which is not set")
            .ToList();
        if (problems.Count > 0)
        {
            var where = source.Length == 0 ? "The run config" : $"Run config '{source}'";
            throw new MedleyException(
                ResponseErrorCodes.ApiKeyMissing,
                $"{where}: {string.Join("; ", problems)}. Set the variable before the run; keys are never read from the file.",
                details: problems);
        }
    }

    /// <summary>The member as a chat client; its failures surface as <see cref="MedleyException"/>s naming it.</summary>
    public IChatClient CreateClient(RunMemberConfig member)
    {
        var remote = member.Remote ?? throw new ArgumentException($"Member '{member.Name}' is not remote.", nameof(member));
        var http = _services.GetRequiredService<IHttpClientFactory>().CreateClient(member.Name);
        var key = remote.ApiKeyVariable is { } variable ? Environment.GetEnvironmentVariable(variable) : null;
        var attempt = member.Timeout ?? DefaultAttemptTimeout;
        var options = new OpenAIClientOptions
        {
            Endpoint = remote.Endpoint,
            Transport = new HttpClientPipelineTransport(http),
            // Retries and timeouts belong to the resilience handler; the OpenAI client's own would multiply them.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        // A server without keys (a local llama.cpp, vLLM, or medley serve) still gets a well-formed bearer header.
        var credential = new ApiKeyCredential(string.IsNullOrEmpty(key) ? "no-key" : key);
        var client = new OpenAIClient(credential, options).GetChatClient(remote.Model).AsIChatClient();
        return new RemoteFailureChatClient(client, member, attempt);
    }

    public void Dispose() => _services.Dispose();

    // Every attempt may run its full time, with the backoff delays (doubling, jittered up to about 1.5×) between them.
    private static TimeSpan TotalTimeout(TimeSpan attempt, int retries, TimeSpan delay)
    {
        var backoff = delay * 1.5 * (Math.Pow(2, retries) - 1);
        return (attempt * (retries + 1)) + backoff + TimeSpan.FromSeconds(1);
    }
}
