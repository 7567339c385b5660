using System.ClientModel;
using System.Text;
using System.Text.Json.Nodes;
using Medley.Chat.Tests;
using Medley.Host.Chat;
using OpenAI;
using OpenAI.Chat;
using AI = Microsoft.Extensions.AI;

namespace Medley.Server.Tests;

/// <summary>A real ONNX model served on loopback and read back through OpenAI's official .NET client.</summary>
public sealed class OpenAiClientTests(ChatModelFixture fixture) : IClassFixture<ChatModelFixture>
{
    private const string ModelId = "tiny-chat";

    private static readonly AI.ChatMessage[] Hello = [new(AI.ChatRole.User, "hello")];

    private Task<LoopbackServer> StartAsync() => LoopbackServer.StartAsync([(ModelId, new OnnxChatClient(fixture.Model, ModelId))]);

    private static ChatClient OpenAiClient(LoopbackServer server, string key = "unused") =>
        new(ModelId, new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = server.OpenAiEndpoint });

    private async Task<AI.ChatResponse> DirectAsync(AI.ChatOptions options)
    {
        using var direct = new OnnxChatClient(fixture.Model, ModelId);
        return await direct.GetResponseAsync(Hello, options);
    }

    [Fact]
    public async Task A_completion_has_the_greedy_text_and_usage_of_the_chat_client()
    {
        await using var server = await StartAsync();
        var expected = await DirectAsync(new AI.ChatOptions { Temperature = 0, MaxOutputTokens = 20 });

        ChatCompletion completion = await OpenAiClient(server).CompleteChatAsync(
            [new UserChatMessage("hello")], new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 20 });

        Assert.False(string.IsNullOrEmpty(expected.Text));
        Assert.Equal(expected.Text, completion.Content.Single().Text);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal(ModelId, completion.Model);
        Assert.Equal(expected.Usage!.InputTokenCount, completion.Usage.InputTokenCount);
        Assert.Equal(expected.Usage.OutputTokenCount, completion.Usage.OutputTokenCount);
        Assert.Equal(expected.FinishReason == AI.ChatFinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop, completion.FinishReason);
    }

    [Fact]
    public async Task A_stream_concatenates_to_the_greedy_text_and_ends_with_a_finish_reason()
    {
        await using var server = await StartAsync();
        var expected = await DirectAsync(new AI.ChatOptions { Temperature = 0, MaxOutputTokens = 20 });

        var text = new StringBuilder();
        var finishReasons = new List<ChatFinishReason>();
        var updates = 0;
        ChatTokenUsage? usage = null;
        await foreach (var update in OpenAiClient(server).CompleteChatStreamingAsync(
            [new UserChatMessage("hello")], new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 20 }))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            if (update.FinishReason is { } reason)
            {
                finishReasons.Add(reason);
            }

            usage = update.Usage ?? usage;
        }

        var directPieces = 0;
        using (var direct = new OnnxChatClient(fixture.Model, ModelId))
        {
            await foreach (var update in direct.GetStreamingResponseAsync(Hello, new AI.ChatOptions { Temperature = 0, MaxOutputTokens = 20 }))
            {
                directPieces += update.Text.Length > 0 ? 1 : 0;
            }
        }

        Assert.Equal(expected.Text, text.ToString());
        Assert.Single(finishReasons);

        // A role chunk, one chunk per piece the model streamed, the finish chunk, then the usage chunk the OpenAI client
        // asks for (stream_options.include_usage): pieces are passed on as they come.
        Assert.True(directPieces > 1);
        Assert.Equal(directPieces + 3, updates);
        Assert.Equal(expected.Usage!.OutputTokenCount, usage!.OutputTokenCount);
        Assert.Equal(expected.Usage.InputTokenCount, usage.InputTokenCount);
    }

    [Fact]
    public async Task Seed_temperature_top_p_and_stop_reach_the_model()
    {
        await using var server = await StartAsync();
        var sampled = await DirectAsync(new AI.ChatOptions { Temperature = 1.3f, TopP = 0.9f, Seed = 11, MaxOutputTokens = 25 });
        Assert.True(sampled.Text.Length > 4, sampled.Text);

        // A stop sequence taken from inside the sampled answer must cut the served answer right before it.
        var stop = sampled.Text.Substring(3, 2);
        var cut = sampled.Text[..sampled.Text.IndexOf(stop, StringComparison.Ordinal)];
        var body = new JsonObject
        {
            ["model"] = ModelId,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "hello" }) }),
            ["temperature"] = 1.3,
            ["top_p"] = 0.9,
            ["seed"] = 11,
            ["max_tokens"] = 25,
        };
        var whole = await CompleteAsync(server, body);
        body["stop"] = new JsonArray(stop);
        var stopped = await CompleteAsync(server, body);

        Assert.Equal(sampled.Text, whole["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal(cut, stopped["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", stopped["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Max_tokens_cuts_the_answer_with_finish_reason_length_and_counts_usage()
    {
        await using var server = await StartAsync();
        var body = new JsonObject
        {
            ["model"] = ModelId,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hello" }),
            ["temperature"] = 0,
            ["max_tokens"] = 7,
        };
        var completion = await CompleteAsync(server, body);

        Assert.Equal("chat.completion", completion["object"]!.GetValue<string>());
        Assert.StartsWith("chatcmpl-", completion["id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("length", completion["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(7, completion["choices"]![0]!["message"]!["content"]!.GetValue<string>().Length);

        // "<|im_start|>user\nhello<|im_end|>\n<|im_start|>assistant\n" is 24 tokens (see the chat client's tests).
        Assert.Equal(24, completion["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(7, completion["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal(31, completion["usage"]!["total_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_raw_stream_is_sse_chunks_then_usage_when_asked_then_done()
    {
        await using var server = await StartAsync();
        var body = """{"model":"tiny-chat","messages":[{"role":"user","content":"hello"}],"temperature":0,"max_tokens":5,"stream":true,"stream_options":{"include_usage":true}}""";
        using var response = await server.PostChatAsync(body);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e["data: ".Length..])!).ToList();

        // Role chunk, five one-character chunks, the finish chunk, the usage chunk.
        Assert.Equal(8, chunks.Count);
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c["object"]!.GetValue<string>()));
        Assert.Single(chunks.Select(c => c["id"]!.GetValue<string>()).Distinct());
        Assert.Equal("assistant", chunks[0]["choices"]![0]!["delta"]!["role"]!.GetValue<string>());
        Assert.Equal("length", chunks[6]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Empty(chunks[7]["choices"]!.AsArray());
        Assert.Equal(5, chunks[7]["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal(24, chunks[7]["usage"]!["prompt_tokens"]!.GetValue<int>());
        var streamed = string.Concat(chunks[1..6].Select(c => c["choices"]![0]!["delta"]!["content"]!.GetValue<string>()));
        var expected = await DirectAsync(new AI.ChatOptions { Temperature = 0, MaxOutputTokens = 5 });
        Assert.Equal(expected.Text, streamed);
    }

    [Fact]
    public async Task Models_lists_every_served_id_in_openai_shape()
    {
        await using var server = await LoopbackServer.StartAsync(
            [(ModelId, new OnnxChatClient(fixture.Model, ModelId)), ("second", new ScriptedChatClient(_ => Task.FromResult("x")))]);
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var list = JsonNode.Parse(await server.Http.GetStringAsync("/v1/models"))!;
        var viaClient = await new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = server.OpenAiEndpoint })
            .GetOpenAIModelClient().GetModelsAsync();

        Assert.Equal("list", list["object"]!.GetValue<string>());
        var data = list["data"]!.AsArray();
        Assert.Equal([ModelId, "second"], data.Select(m => m!["id"]!.GetValue<string>()));
        Assert.All(data, m => Assert.Equal("model", m!["object"]!.GetValue<string>()));
        Assert.All(data, m => Assert.InRange(m!["created"]!.GetValue<long>(), before - 60, before + 1));
        Assert.All(data, m => Assert.Equal("test", m!["owned_by"]!.GetValue<string>()));
        Assert.Equal([ModelId, "second"], viaClient.Value.Select(m => m.Id));
    }

    private static async Task<JsonNode> CompleteAsync(LoopbackServer server, JsonObject body)
    {
        using var response = await server.PostChatAsync(body.ToJsonString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }
}
