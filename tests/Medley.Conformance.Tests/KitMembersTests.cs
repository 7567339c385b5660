using Medley.Sdk.Decoding;
using Medley.Sdk.Models;
using Medley.Sdk.Testing;
using Microsoft.Extensions.AI;

namespace Medley.Conformance.Tests;

/// <summary>The kit's in-memory members behave as documented, since every token- and response-level check relies on them.</summary>
public sealed class KitMembersTests
{
    [Fact]
    public void The_tokenizer_maps_printable_ascii_after_the_two_special_ids()
    {
        var tokenizer = ConformanceTokenizer.Instance;

        // ' ' is id 2, so 'a' (0x61) is 2 + 65, '+' (0x2B) is 2 + 11 and '1' (0x31) is 2 + 17.
        Assert.Equal([1, 67, 13, 19], tokenizer.Encode("a+1", addSpecialTokens: true));
        Assert.Equal("a+1", tokenizer.Decode([1, 67, 13, 19, 0]));
        Assert.Equal("<s>a+1</s>", tokenizer.Decode([1, 67, 13, 19, 0], skipSpecialTokens: false));
        Assert.Equal(97, tokenizer.VocabularySize);
        Assert.Equal("~", tokenizer.GetTokenString(96));
        Assert.Null(tokenizer.GetTokenString(97));
        Assert.Equal("conformance.tokenizer.character", Assert.Throws<Medley.Sdk.MedleyException>(() => tokenizer.Encode("é")).Code);
    }

    [Fact]
    public async Task Logits_depend_on_the_prefix_only_however_it_was_appended()
    {
        var model = new ConformanceLanguageModel("m", seed: 5);
        int[] tokens = [1, 20, 21, 22, 23];
        using var atOnce = model.CreateSession();
        var all = await atOnce.AppendAsync(tokens, LogitsScope.All);
        using var oneByOne = model.CreateSession();
        for (var i = 0; i < tokens.Length; i++)
        {
            var last = await oneByOne.AppendAsync(tokens.AsMemory(i, 1));
            Assert.Equal(all.Row(i).ToArray(), last.Last.ToArray());
        }

        using var fork = oneByOne.Fork();
        fork.Rewind(3);
        var again = await fork.AppendAsync(new[] { 22 });
        Assert.Equal(all.Row(3).ToArray(), again.Last.ToArray());
        Assert.NotEqual(all.Row(3).ToArray(), (await new ConformanceLanguageModel("other", seed: 6).CreateSession().AppendAsync(tokens.AsMemory(0, 4))).Last.ToArray());
    }

    [Fact]
    public async Task End_of_sequence_dominates_from_the_given_length_and_is_ruled_out_before()
    {
        var model = new ConformanceLanguageModel("m", seed: 1, endOfSequenceAtLength: 3);
        using var session = model.CreateSession();

        var before = await session.AppendAsync(new[] { 1, 30 });
        var from = await session.AppendAsync(new[] { 31 });

        Assert.Equal(-40f, before.Last.Span[ConformanceTokenizer.EndOfSequenceId]);
        Assert.Equal(40f, from.Last.Span[ConformanceTokenizer.EndOfSequenceId]);
        Assert.Equal(ConformanceTokenizer.EndOfSequenceId, LogProbabilities.ArgMax(from.Last.Span));
    }

    [Fact]
    public void The_sampler_softmaxes_after_temperature_and_cuts_to_top_k()
    {
        var probabilities = new float[3];
        // Scores 0, ln 3, −∞: weights 1, 3, 0 → 0.25, 0.75, 0.
        new ConformanceTokenSampler(new SamplingOptions { Temperature = 1 })
            .ComputeDistribution([0f, MathF.Log(3), float.NegativeInfinity], [], probabilities);
        Assert.Equal(0.25, probabilities[0], 6);
        Assert.Equal(0.75, probabilities[1], 6);
        Assert.Equal(0, probabilities[2]);

        // Temperature 2 halves the scores: weights 1, √3 → 1 / (1 + √3) ≈ 0.366025.
        new ConformanceTokenSampler(new SamplingOptions { Temperature = 2 })
            .ComputeDistribution([0f, MathF.Log(3), float.NegativeInfinity], [], probabilities);
        Assert.Equal(1 / (1 + Math.Sqrt(3)), probabilities[0], 5);

        Assert.Equal(1, new ConformanceTokenSampler(new SamplingOptions { Temperature = 0 }).Next([0.5f, 2f, 1f], []));
        Assert.Equal(1, new ConformanceTokenSampler(new SamplingOptions { TopK = 1, Seed = 9 }).Next([0.5f, 2f, 1.9f], []));
    }

    [Fact]
    public void The_sampler_draws_the_same_tokens_for_the_same_seed()
    {
        float[] scores = [0f, 0.1f, 0.2f, 0.3f, 0.4f];
        int[] Draw(ulong seed)
        {
            var sampler = new ConformanceTokenSampler(new SamplingOptions { Seed = seed });
            return Enumerable.Range(0, 40).Select(_ => sampler.Next(scores, [])).ToArray();
        }

        Assert.Equal(Draw(4), Draw(4));
        Assert.NotEqual(Draw(4), Draw(5));
    }

    [Fact]
    public async Task The_chat_member_streams_its_reply_in_pieces_and_the_failing_one_throws()
    {
        var member = new ConformanceChatClient("forty-two");
        var pieces = new List<string>();
        await foreach (var update in member.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "q")]))
        {
            pieces.Add(update.Text);
        }

        Assert.Equal(["for", "ty-", "two"], pieces);
        Assert.Equal("forty-two", (await member.GetResponseAsync([new ChatMessage(ChatRole.User, "q")])).Text);
        Assert.Equal(2, member.Calls);
        await Assert.ThrowsAsync<HttpRequestException>(() => ConformanceChatClient.Failing().GetResponseAsync([new ChatMessage(ChatRole.User, "q")]));
    }
}
