using Medley.Sdk;
using Medley.Sdk.Decoding;
using Microsoft.Extensions.Logging.Abstractions;

namespace Company.Plugin.Tests;

public sealed class GreedyDecodingStrategyTests
{
    private static async Task<string> DecodeAsync(string prompt, int maxTokens, params DecodingMember[] members)
    {
        var context = new DecodingContext(
            members, prompt, StrategyParameters.Empty, new GreedySampler(new SamplingOptions { Temperature = 0, MaxTokens = maxTokens }), new StrategyCounters(), NullLogger.Instance);
        var text = new System.Text.StringBuilder();
        await foreach (var token in new GreedyDecodingStrategy().DecodeAsync(context, CancellationToken.None))
        {
            text.Append(token.Text);
        }

        return text.ToString();
    }

    private static DecodingMember Counting() => new("model", "counting", new CountingModel(), StrategyParameters.Empty);

    [Fact]
    public async Task Greedy_decoding_follows_the_most_likely_token_until_end_of_sequence()
    {
        Assert.Equal("456789", await DecodeAsync("3", 100, Counting()));
    }

    [Fact]
    public async Task Decoding_stops_at_the_token_limit()
    {
        Assert.Equal("12", await DecodeAsync("0", 2, Counting()));
    }

    [Fact]
    public async Task Two_models_are_refused()
    {
        var error = await Assert.ThrowsAsync<MedleyException>(() => DecodeAsync("1", 5, Counting(), Counting()));

        Assert.Equal("decoding.members.count", error.Code);
    }
}
