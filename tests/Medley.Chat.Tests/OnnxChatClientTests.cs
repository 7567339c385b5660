using System.Text;
using Medley.Host.Chat;
using Medley.Sdk;
using Microsoft.Extensions.AI;

namespace Medley.Chat.Tests;

public sealed class OnnxChatClientTests(ChatModelFixture fixture) : IClassFixture<ChatModelFixture>
{
    // "<|im_start|>user\nhello<|im_end|>\n<|im_start|>assistant\n": marker, 4 + 1 characters, 5 characters, marker,
    // newline, marker, 9 + 1 characters = 1 + 5 + 5 + 1 + 1 + 1 + 10 tokens.
    private const int HelloPromptTokens = 24;

    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "hello")];

    private OnnxChatClient Client() => new(fixture.Model, "tiny-chat");

    private static ChatOptions Greedy(int maxTokens) => new() { Temperature = 0, MaxOutputTokens = maxTokens };

    [Fact]
    public async Task Greedy_response_is_the_text_of_medley_generate_chat()
    {
        using var client = Client();
        var response = await client.GetResponseAsync(Hello, Greedy(20));
        var (text, statistics) = await Cli.GenerateChat(fixture.ModelPath, "hello", "--temperature", "0", "--max-tokens", "20");

        Assert.Equal(text, response.Text);
        Assert.Equal(ChatRole.Assistant, response.Messages.Single().Role);
        Assert.Equal(statistics["promptTokens"]!.GetValue<int>(), response.Usage!.InputTokenCount);
        Assert.Equal(statistics["generatedTokens"]!.GetValue<int>(), response.Usage.OutputTokenCount);
        Assert.Equal("tiny-chat", response.ModelId);
    }

    [Fact]
    public async Task Usage_counts_the_rendered_prompt_and_every_generated_token()
    {
        using var client = Client();
        var response = await client.GetResponseAsync(Hello, Greedy(9));

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(HelloPromptTokens, response.Usage!.InputTokenCount);
        Assert.Equal(9, response.Usage.OutputTokenCount);
        Assert.Equal(HelloPromptTokens + 9, response.Usage.TotalTokenCount);

        // One character per token: the text shows the count independently of the client's own bookkeeping.
        Assert.Equal(9, response.Text.Length);
    }

    [Fact]
    public async Task Instructions_become_a_system_turn_before_the_messages()
    {
        using var client = Client();
        var plain = await client.GetResponseAsync(Hello, Greedy(4));
        var options = Greedy(4);
        options.Instructions = "be brief";
        var withInstructions = await client.GetResponseAsync(Hello, options);
        var explicitSystem = await client.GetResponseAsync([new(ChatRole.System, "be brief"), .. Hello], Greedy(4));

        // "<|im_start|>system\nbe brief<|im_end|>\n" is 1 + 7 + 8 + 1 + 1 tokens.
        Assert.Equal(HelloPromptTokens + 18, withInstructions.Usage!.InputTokenCount);
        Assert.Equal(plain.Usage!.InputTokenCount + 18, explicitSystem.Usage!.InputTokenCount);
        Assert.Equal(explicitSystem.Text, withInstructions.Text);
    }

    [Theory]
    [InlineData(0.0f, 7UL)]
    [InlineData(1.3f, 7UL)]
    [InlineData(1.3f, 11UL)]
    public async Task Streaming_updates_concatenate_to_the_response(float temperature, ulong seed)
    {
        using var client = Client();
        var options = new ChatOptions { Temperature = temperature, Seed = (long)seed, MaxOutputTokens = 25 };
        var response = await client.GetResponseAsync(Hello, options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Hello, options))
        {
            updates.Add(update);
        }

        Assert.Equal(response.Text, string.Concat(updates.Select(u => u.Text)));
        Assert.All(updates, u => Assert.Equal(ChatRole.Assistant, u.Role));
        Assert.All(updates, u => Assert.Equal("tiny-chat", u.ModelId));
        Assert.Single(updates.Select(u => u.ResponseId).Distinct());
        Assert.Equal(response.FinishReason, updates[^1].FinishReason);
        Assert.All(updates.SkipLast(1), u => Assert.Null(u.FinishReason));
        var usage = Assert.Single(updates.SelectMany(u => u.Contents).OfType<UsageContent>()).Details;
        Assert.Equal(response.Usage!.InputTokenCount, usage.InputTokenCount);
        Assert.Equal(response.Usage.OutputTokenCount, usage.OutputTokenCount);

        // The library's own merge of the updates agrees too.
        var merged = updates.ToChatResponse();
        Assert.Equal(response.Text, merged.Text);
        Assert.Equal(response.FinishReason, merged.FinishReason);
        Assert.Equal(response.Usage.OutputTokenCount, merged.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task Max_output_tokens_cuts_the_greedy_answer_with_finish_reason_length()
    {
        using var client = Client();
        var full = await client.GetResponseAsync(Hello, Greedy(20));
        var cut = await client.GetResponseAsync(Hello, Greedy(6));

        Assert.Equal(ChatFinishReason.Length, cut.FinishReason);
        Assert.Equal(6, cut.Usage!.OutputTokenCount);
        Assert.Equal(full.Text[..6], cut.Text);
    }

    [Fact]
    public async Task Running_out_of_context_positions_finishes_with_reason_length()
    {
        // The tiny model has 128 positions: after the 24-token prompt there is room for 104 tokens, fewer than asked.
        using var client = Client();
        var response = await client.GetResponseAsync(Hello, Greedy(500));

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(128 - HelloPromptTokens, response.Usage!.OutputTokenCount);
        Assert.Equal(128 - HelloPromptTokens, response.Text.Length);
    }

    [Fact]
    public async Task Cancelling_a_stream_part_way_stops_decoding()
    {
        using var client = Client();
        using var cancellation = new CancellationTokenSource();
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Hello, Greedy(50), cancellation.Token))
            {
                received++;
                await cancellation.CancelAsync();
            }
        });
        Assert.Equal(1, received);
    }

    [Fact]
    public async Task A_stop_sequence_ends_the_answer_before_it_with_finish_reason_stop()
    {
        using var client = Client();
        var full = (await client.GetResponseAsync(Hello, Greedy(20))).Text;
        var stop = full.Substring(5, 2);
        var options = Greedy(20);
        options.StopSequences = [stop];
        var response = await client.GetResponseAsync(Hello, options);
        var (text, statistics) = await Cli.GenerateChat(fixture.ModelPath, "hello", "--temperature", "0", "--max-tokens", "20", "--stop", stop);

        var at = full.IndexOf(stop, StringComparison.Ordinal);
        Assert.Equal(full[..at], response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);

        // The tokens that spelled the stop sequence were generated, so they are counted though not returned.
        Assert.Equal(at + stop.Length, response.Usage!.OutputTokenCount);
        Assert.Equal(text, response.Text);
        Assert.Equal(statistics["generatedTokens"]!.GetValue<int>(), response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task Seeded_sampling_is_reproducible_matches_medley_generate_and_the_seed_matters()
    {
        using var client = Client();
        ChatOptions Sampled(long seed) => new() { Temperature = 1.5f, TopP = 0.95f, TopK = 40, Seed = seed, MaxOutputTokens = 30 };
        var first = await client.GetResponseAsync(Hello, Sampled(42));
        var second = await client.GetResponseAsync(Hello, Sampled(42));
        var other = await client.GetResponseAsync(Hello, Sampled(43));
        var (text, _) = await Cli.GenerateChat(
            fixture.ModelPath, "hello", "--temperature", "1.5", "--top-p", "0.95", "--top-k", "40", "--seed", "42", "--max-tokens", "30");

        Assert.Equal(first.Text, second.Text);
        Assert.NotEqual(first.Text, other.Text);
        Assert.Equal(text, first.Text);
    }

    [Fact]
    public async Task Top_k_of_one_samples_the_greedy_answer_whatever_the_temperature()
    {
        using var client = Client();
        var greedy = await client.GetResponseAsync(Hello, Greedy(15));
        var topOne = await client.GetResponseAsync(Hello, new ChatOptions { Temperature = 2f, TopK = 1, Seed = 5, MaxOutputTokens = 15 });

        Assert.Equal(greedy.Text, topOne.Text);
    }

    [Fact]
    public async Task An_end_of_sequence_token_finishes_with_reason_stop()
    {
        // The random tiny model rarely picks <|im_end|>; hot sampling over a few seeds reaches it.
        using var client = Client();
        var stopped = new List<ChatResponse>();
        for (long seed = 0; seed < 40 && stopped.Count == 0; seed++)
        {
            var response = await client.GetResponseAsync(Hello, new ChatOptions { Temperature = 3f, Seed = seed, MaxOutputTokens = 40 });
            if (response.FinishReason == ChatFinishReason.Stop)
            {
                stopped.Add(response);
            }
        }

        var answer = Assert.Single(stopped);
        Assert.InRange(answer.Usage!.OutputTokenCount!.Value, 0, 39);
        Assert.Equal(answer.Text.Length, answer.Usage.OutputTokenCount);
        Assert.DoesNotContain("<|im_end|>", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_calls_each_decode_their_own_answer()
    {
        using var client = Client();
        var expected = (await client.GetResponseAsync(Hello, Greedy(12))).Text;
        var other = (await client.GetResponseAsync([new(ChatRole.User, "abc")], Greedy(12))).Text;

        var calls = Enumerable.Range(0, 8).Select(i => Task.Run(() => i % 2 == 0
            ? client.GetResponseAsync(Hello, Greedy(12))
            : client.GetResponseAsync([new(ChatRole.User, "abc")], Greedy(12))));
        var responses = await Task.WhenAll(calls);

        Assert.NotEqual(expected, other);
        for (var i = 0; i < responses.Length; i++)
        {
            Assert.Equal(i % 2 == 0 ? expected : other, responses[i].Text);
        }
    }

    [Theory]
    [InlineData("MaxOutputTokens", "MaxOutputTokens is 0")]
    [InlineData("Temperature", "Temperature is -1")]
    [InlineData("TopP", "TopP is 1.5")]
    [InlineData("TopK", "TopK is -2")]
    [InlineData("StopSequences", "StopSequences holds an empty string")]
    public async Task Unusable_options_are_refused_naming_the_option(string option, string message)
    {
        using var client = Client();
        var options = option switch
        {
            "MaxOutputTokens" => new ChatOptions { MaxOutputTokens = 0 },
            "Temperature" => new ChatOptions { Temperature = -1 },
            "TopP" => new ChatOptions { TopP = 1.5f },
            "TopK" => new ChatOptions { TopK = -2 },
            _ => new ChatOptions { StopSequences = [""] },
        };

        var error = await Assert.ThrowsAsync<MedleyException>(() => client.GetResponseAsync(Hello, options));
        Assert.Equal(ChatErrorCodes.InvalidOption, error.Code);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("tiny-chat", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_without_messages_is_refused()
    {
        using var client = Client();
        var error = await Assert.ThrowsAsync<MedleyException>(() => client.GetResponseAsync([], Greedy(3)));
        Assert.Equal(ChatErrorCodes.NoMessages, error.Code);
    }

    [Fact]
    public void Metadata_names_the_provider_and_the_model()
    {
        using var client = Client();
        var metadata = client.GetService<ChatClientMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("medley-onnx", metadata.ProviderName);
        Assert.Equal("tiny-chat", metadata.DefaultModelId);
        Assert.Same(client, client.GetService<OnnxChatClient>());
        Assert.Same(fixture.Model, client.GetService<Medley.Sdk.Models.ICausalLanguageModel>());
        Assert.Equal(fixture.Model.Info.Name, new OnnxChatClient(fixture.Model).ModelId);
    }
}
