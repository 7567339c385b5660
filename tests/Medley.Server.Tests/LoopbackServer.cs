using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Medley.Server.Tests;

/// <summary>A real Kestrel server on 127.0.0.1 with a free port, serving the given clients; an HttpClient pointed at it.</summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private LoopbackServer(MedleyServer server)
    {
        Server = server;
        BaseUri = new Uri(server.Urls.Single());
        Http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(60) };
    }

    public MedleyServer Server { get; }

    public Uri BaseUri { get; }

    public Uri OpenAiEndpoint => new(BaseUri, "/v1");

    public HttpClient Http { get; }

    public static async Task<LoopbackServer> StartAsync(IEnumerable<(string Id, IChatClient Client)> models, Action<MedleyServerOptions>? configure = null)
    {
        var registry = new ServedModelRegistry();
        foreach (var (id, client) in models)
        {
            registry.Add(id, "test", _ => ValueTask.FromResult(client));
        }

        var options = new MedleyServerOptions { Urls = { "http://127.0.0.1:0" } };
        configure?.Invoke(options);
        return new LoopbackServer(await MedleyServer.StartAsync(registry, options, CancellationToken.None));
    }

    public async Task<HttpResponseMessage> PostChatAsync(string json, string? key = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>The body of an error answer, checked to be OpenAI's error shape.</summary>
    public static async Task<JsonNode> ErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var error = body["error"]!.AsObject();
        Assert.Equal(["message", "type", "param", "code"], error.Select(p => p.Key));
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        return error;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
