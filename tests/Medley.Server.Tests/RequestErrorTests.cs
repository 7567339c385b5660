using System.ClientModel;
using System.Net;
using System.Text;
using OpenAI;
using OpenAI.Chat;

namespace Medley.Server.Tests;

/// <summary>Every refusal is an OpenAI-shaped error with the right status, naming what is wrong.</summary>
public sealed class RequestErrorTests
{
    private const string Valid = """{"model":"echo","messages":[{"role":"user","content":"hi"}]}""";

    private static Task<LoopbackServer> StartAsync(Action<MedleyServerOptions>? configure = null) =>
        LoopbackServer.StartAsync([("echo", new ScriptedChatClient(_ => Task.FromResult("hello there")))], configure);

    [Fact]
    public async Task A_valid_request_is_answered()
    {
        await using var server = await StartAsync();
        using var response = await server.PostChatAsync(Valid);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"content\":\"hello there\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_json_is_400_invalid_json()
    {
        await using var server = await StartAsync();
        using var response = await server.PostChatAsync("""{"model":"echo","messages":[""");
        var error = await LoopbackServer.ErrorAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_json", error["code"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""[1,2]""", null, "must be a JSON object")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model", "'model' is required")]
    [InlineData("""{"model":7,"messages":[{"role":"user","content":"hi"}]}""", "model", "must be a string")]
    [InlineData("""{"model":"echo"}""", "messages", "'messages' is required")]
    [InlineData("""{"model":"echo","messages":[]}""", "messages", "non-empty array")]
    [InlineData("""{"model":"echo","messages":[{"role":"robot","content":"hi"}]}""", "messages[0].role", "'robot'")]
    [InlineData("""{"model":"echo","messages":[{"role":"user","content":"a"},{"role":"user"}]}""", "messages[1].content", "is required")]
    [InlineData("""{"model":"echo","messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]}""", "messages[0].content[0]", "type 'image_url'")]
    [InlineData("""{"model":"echo","messages":[{"role":"user","content":"hi"}],"temperature":2.5}""", "temperature", "from 0 to 2")]
    [InlineData("""{"model":"echo","messages":[{"role":"user","content":"hi"}],"top_p":0}""", "top_p", "(0, 1]")]
    [InlineData("""{"model":"echo","messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", "max_tokens", ">= 1")]
    [InlineData("""{"model":"echo","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":"5"}""", "max_completion_tokens", ">= 1")]
    [InlineData("""{"model":"echo","messages":[{"role":"user","content":"hi"}],"stop":["a",""]}""", "stop", "empty string")]
    [InlineData("""{"model":"echo","messages":[{"role":"user","content":"hi"}],"stop":["a","b","c","d","e"]}""", "stop", "at most 4")]
    [InlineData("""{"model":"echo","messages":[{"role":"user","content":"hi"}],"seed":1.5}""", "seed", "an integer")]
    [InlineData("""{"model":"echo","messages":[{"role":"user","content":"hi"}],"n":2}""", "n", "n must be 1")]
    [InlineData("""{"model":"echo","messages":[{"role":"user","content":"hi"}],"stream":"yes"}""", "stream", "true or false")]
    public async Task A_missing_or_invalid_field_is_400_naming_the_field(string body, string? param, string message)
    {
        await using var server = await StartAsync();
        using var response = await server.PostChatAsync(body);
        var error = await LoopbackServer.ErrorAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, error["param"]?.GetValue<string>());
        Assert.Contains(message, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_model_is_404_model_not_found()
    {
        await using var server = await StartAsync();
        using var response = await server.PostChatAsync("""{"model":"nope","messages":[{"role":"user","content":"hi"}]}""");
        var error = await LoopbackServer.ErrorAsync(response);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("model_not_found", error["code"]!.GetValue<string>());
        Assert.Equal("model", error["param"]!.GetValue<string>());
        Assert.Contains("'nope'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_over_the_limit_is_413_whether_its_length_is_declared_or_chunked(bool chunked)
    {
        await using var server = await StartAsync(o => o.MaxBodyBytes = 200);
        var big = $$"""{"model":"echo","messages":[{"role":"user","content":"{{new string('x', 500)}}"}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = chunked;
        using var response = await server.Http.SendAsync(request);
        var error = await LoopbackServer.ErrorAsync(response);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", error["code"]!.GetValue<string>());
        Assert.Contains("200 bytes", error["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // The same request under the limit is fine: the limit, not the content, refused it.
        using var small = await server.PostChatAsync(Valid);
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
    }

    [Fact]
    public async Task A_missing_or_wrong_bearer_key_is_401_and_the_right_one_passes()
    {
        await using var server = await StartAsync(o => o.ApiKey = "s3cret-key");

        using var missing = await server.PostChatAsync(Valid);
        using var wrong = await server.PostChatAsync(Valid, key: "s3cret-kez");
        using var prefix = await server.PostChatAsync(Valid, key: "s3cret");
        using var right = await server.PostChatAsync(Valid, key: "s3cret-key");
        using var modelsWithoutKey = await server.Http.GetAsync("/v1/models");

        foreach (var refused in new[] { missing, wrong, prefix, modelsWithoutKey })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("invalid_api_key", (await LoopbackServer.ErrorAsync(refused))["code"]!.GetValue<string>());
        }

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);

        var options = new OpenAIClientOptions { Endpoint = server.OpenAiEndpoint };
        var rejected = await Assert.ThrowsAsync<ClientResultException>(
            () => new ChatClient("echo", new ApiKeyCredential("wrong"), options).CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(401, rejected.Status);
        ChatCompletion accepted = await new ChatClient("echo", new ApiKeyCredential("s3cret-key"), options).CompleteChatAsync([new UserChatMessage("hi")]);
        Assert.Equal("hello there", accepted.Content.Single().Text);
    }

    [Fact]
    public async Task A_failing_member_is_500_without_internals_in_the_body()
    {
        await using var server = await LoopbackServer.StartAsync(
            [("boom", new ScriptedChatClient(_ => throw new InvalidOperationException("secret internal detail")))]);
        using var response = await server.PostChatAsync("""{"model":"boom","messages":[{"role":"user","content":"hi"}]}""");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("\"type\":\"server_error\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret internal detail", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_that_fails_to_load_is_500_and_is_tried_again_on_the_next_request()
    {
        var attempts = 0;
        var registry = new ServedModelRegistry();
        registry.Add("flaky", "test", _ => ++attempts == 1
            ? throw new IOException("disk hiccup")
            : ValueTask.FromResult<Microsoft.Extensions.AI.IChatClient>(new ScriptedChatClient(_ => Task.FromResult("loaded"))));
        await using var server = await MedleyServer.StartAsync(registry, new MedleyServerOptions { Urls = { "http://127.0.0.1:0" } }, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = new Uri(server.Urls.Single()) };
        const string Body = """{"model":"flaky","messages":[{"role":"user","content":"hi"}]}""";

        using var first = await http.PostAsync("/v1/chat/completions", new StringContent(Body, Encoding.UTF8, "application/json"));
        using var second = await http.PostAsync("/v1/chat/completions", new StringContent(Body, Encoding.UTF8, "application/json"));
        using var third = await http.PostAsync("/v1/chat/completions", new StringContent(Body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        Assert.Equal("model_load_failed", (await LoopbackServer.ErrorAsync(first))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(2, attempts);
    }
}
