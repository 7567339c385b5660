using Medley.Host.Chat;
using Medley.Sdk.Models;
using Microsoft.Extensions.AI;

namespace Medley.Chat.Tests;

/// <summary>
/// The token log-probabilities a local member reports, checked against a softmax of the model's own logits computed
/// here step by step in double precision.
/// </summary>
public sealed class OnnxChatClientLogProbabilityTests(ChatModelFixture fixture) : IClassFixture<ChatModelFixture>
{
    private static readonly ChatMessage[] Hello = [new(ChatRole.User, "hello")];

    [Fact]
    public async Task Greedy_answer_reports_each_tokens_log_probability_under_the_models_softmax()
    {
        using var client = new OnnxChatClient(fixture.Model, "tiny-chat");
        var response = await client.GetResponseAsync(Hello, new ChatOptions { Temperature = 0, MaxOutputTokens = 7 });

        var reported = Assert.IsType<double[]>(response.AdditionalProperties![ChatLogProbabilities.TokensKey]);
        var expected = await ReferenceLogProbabilitiesAsync(response.Text);
        Assert.Equal(7, reported.Length);
        Assert.All(expected.Zip(reported), pair => Assert.Equal(pair.First.LogProbability, pair.Second, 5));

        // Greedy decoding picks the most likely token, so each reported number is its step's largest log-probability.
        Assert.All(expected, step => Assert.Equal(step.Largest, step.LogProbability, 12));
        Assert.Equal(reported.Average(), (double)response.AdditionalProperties[ChatLogProbabilities.MeanKey]!, 12);
        Assert.All(reported, value => Assert.InRange(value, double.MinValue, 0));
    }

    [Fact]
    public async Task Sampled_answer_reports_log_probabilities_before_temperature()
    {
        using var client = new OnnxChatClient(fixture.Model, "tiny-chat");
        var response = await client.GetResponseAsync(Hello, new ChatOptions { Temperature = 3, Seed = 11, MaxOutputTokens = 6 });

        var reported = Assert.IsType<double[]>(response.AdditionalProperties![ChatLogProbabilities.TokensKey]);
        var expected = await ReferenceLogProbabilitiesAsync(response.Text);
        Assert.Equal(expected.Select(e => Math.Round(e.LogProbability, 5)), reported.Select(r => Math.Round(r, 5)));

        // At temperature 3 some token other than the most likely one is drawn from this near-uniform model, so the
        // comparison above covers tokens greedy decoding would not choose.
        Assert.Contains(expected, step => step.LogProbability < step.Largest - 1e-9);
        Assert.Equal(reported.Average(), (double)response.AdditionalProperties[ChatLogProbabilities.MeanKey]!, 12);
    }

    [Fact]
    public async Task Streaming_reports_the_log_probabilities_on_its_last_update()
    {
        using var client = new OnnxChatClient(fixture.Model, "tiny-chat");
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 5 };
        var whole = await client.GetResponseAsync(Hello, options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Hello, options))
        {
            updates.Add(update);
        }
        Assert.Equal(
            Assert.IsType<double[]>(whole.AdditionalProperties![ChatLogProbabilities.TokensKey]),
            Assert.IsType<double[]>(updates[^1].AdditionalProperties![ChatLogProbabilities.TokensKey]));
        Assert.Equal(whole.AdditionalProperties[ChatLogProbabilities.MeanKey], updates[^1].AdditionalProperties![ChatLogProbabilities.MeanKey]);
        Assert.All(updates.SkipLast(1), update => Assert.Null(update.AdditionalProperties));
    }

    /// <summary>Feeds the prompt and then the answer's tokens one at a time, taking log softmax of each step's logits.</summary>
    private async Task<List<(double LogProbability, double Largest)>> ReferenceLogProbabilitiesAsync(string answer)
    {
        var tokenizer = fixture.Model.Tokenizer;
        var prompt = tokenizer.Encode(tokenizer.ApplyChatTemplate(Hello, addGenerationPrompt: true), addSpecialTokens: true).ToArray();
        var answerTokens = tokenizer.Encode(answer, addSpecialTokens: false).ToArray();

        // One character per token: the answer's tokens are recovered exactly from its text.
        Assert.Equal(answer.Length, answerTokens.Length);
        using var session = fixture.Model.CreateSession();
        var logits = await session.AppendAsync(prompt, LogitsScope.Last, CancellationToken.None);
        var steps = new List<(double, double)>();
        foreach (var token in answerTokens)
        {
            var row = logits.Last.ToArray();
            var max = row.Max(v => (double)v);
            var logSum = Math.Log(row.Sum(v => Math.Exp(v - max))) + max;
            steps.Add((row[token] - logSum, max - logSum));
            logits = await session.AppendAsync(new[] { token }, LogitsScope.Last, CancellationToken.None);
        }

        return steps;
    }
}
