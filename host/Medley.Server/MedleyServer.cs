using Medley.Sdk;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Medley.Server;

/// <summary>
/// An OpenAI-compatible server (<c>GET /v1/models</c>, <c>POST /v1/chat/completions</c>, streaming as SSE) over a
/// registry of chat clients, on ASP.NET Core's Kestrel. It owns the registry: stopping the server disposes every
/// client it loaded.
/// </summary>
public sealed class MedleyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServedModelRegistry _registry;
    private readonly RequestGate _gate;
    private int _disposed;

    private MedleyServer(WebApplication app, ServedModelRegistry registry, RequestGate gate, IReadOnlyList<string> urls)
    {
        _app = app;
        _registry = registry;
        _gate = gate;
        Urls = urls;
    }

    /// <summary>The addresses the server listens on, with the actual ports (when port 0 was asked for).</summary>
    public IReadOnlyList<string> Urls { get; }

    /// <summary>How many requests wait in the queue now (for diagnostics and tests).</summary>
    internal int WaitingRequests => _gate.Waiting;

    /// <summary>Starts listening; returns once the server accepts connections.</summary>
    /// <param name="registry">The models to serve; the server disposes it when it stops.</param>
    /// <param name="options">Addresses, key and limits.</param>
    /// <param name="cancellationToken">Cancels starting.</param>
    public static async Task<MedleyServer> StartAsync(ServedModelRegistry registry, MedleyServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        Validate(registry, options);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes);
        builder.Services.AddSingleton<IHostLifetime, ExternalLifetime>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var gate = new RequestGate(options.Concurrency, options.QueueLimit);
        var app = builder.Build();
        var endpoint = new ChatCompletionEndpoint(registry, gate, options, app.Services.GetRequiredService<ILogger<ChatCompletionEndpoint>>());
        var stopping = app.Lifetime.ApplicationStopping;

        if (options.ApiKey is { } key)
        {
            var check = new BearerKeyCheck(key);
            app.Use(async (http, next) =>
            {
                if (!check.Accepts(http.Request.Headers.Authorization))
                {
                    await new ApiError(
                        StatusCodes.Status401Unauthorized, "invalid_request_error", "invalid_api_key", null,
                        "Missing or wrong API key: send 'Authorization: Bearer <key>' with the key this server was started with.").WriteAsync(http.Response).ConfigureAwait(false);
                    return;
                }

                await next(http).ConfigureAwait(false);
            });
        }

        app.MapGet("/v1/models", async http =>
        {
            http.Response.ContentType = "application/json";
            await http.Response.Body.WriteAsync(OpenAiJson.ModelList(registry), http.RequestAborted).ConfigureAwait(false);
        });
        app.MapPost("/v1/chat/completions", http => endpoint.HandleAsync(http, stopping));

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            gate.Dispose();
            throw;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToList();
        return new MedleyServer(app, registry, gate, addresses);
    }

    /// <summary>Stops accepting requests, cancels those in flight and disposes the served clients.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await _registry.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private static void Validate(ServedModelRegistry registry, MedleyServerOptions options)
    {
        var problems = new List<string>();
        if (registry.Ids.Count == 0)
        {
            throw new MedleyException(ServerErrorCodes.NothingToServe, "There is nothing to serve: give at least one --model DIR or --run RUN.yml.", MedleyErrorKind.Usage);
        }

        if (options.Urls.Count == 0)
        {
            problems.Add("no URL to listen on (give --urls, e.g. http://127.0.0.1:8080)");
        }

        if (options.Concurrency < 1)
        {
            problems.Add($"concurrency is {options.Concurrency}; expected at least 1");
        }

        if (options.QueueLimit < 0)
        {
            problems.Add($"queue is {options.QueueLimit}; expected 0 or more");
        }

        if (options.MaxBodyBytes < 1)
        {
            problems.Add($"max body bytes is {options.MaxBodyBytes}; expected at least 1");
        }

        if (options.ApiKey is { Length: 0 })
        {
            problems.Add("the API key is empty");
        }

        if (problems.Count > 0)
        {
            throw new MedleyException(ServerErrorCodes.InvalidOption, $"The server options are not usable: {string.Join("; ", problems)}.", MedleyErrorKind.Usage, problems);
        }
    }
}
