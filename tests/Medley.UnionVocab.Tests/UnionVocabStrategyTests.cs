using Medley.Ensemble.UnionVocab;
using Medley.Runtime.Tests;
using Medley.Sdk.Models;

namespace Medley.UnionVocab.Tests;

public sealed class UnionVocabStrategyTests(TinyMembers members) : IClassFixture<TinyMembers>
{
    private const string Prompt = "hello wor";

    [Theory]
    [InlineData(97)]
    [InlineData(3)]
    public async Task Members_sharing_a_tokenizer_equal_the_probability_average_greedy_loop(int topK)
    {
        var context = Decoding.Context([(members.CharacterA, 1.0), (members.CharacterB, 3.0)], Prompt, maxTokens: 30, [new("top_k", topK)]);
        var events = await Decoding.RunAsync(context);

        var expected = await Decoding.ProbabilityAverageGreedyAsync(
            [members.CharacterA, members.CharacterB], [1.0, 3.0], Prompt, topK, maxTokens: 30, TinyMembers.CharacterEos);
        Assert.Equal(expected, events.SelectMany(e => e.TokenIds));
        Assert.Equal(members.CharacterTokenizer.Decode(expected), string.Concat(events.Select(e => e.Text)));
        Assert.True(expected.Count >= 5, $"only {expected.Count} tokens: too short to compare anything");
        Assert.Equal(events.Count + (events.Count < 30 ? 1 : 0), context.Counters.Get(UnionVocabStrategy.StepsCounter));
        Assert.Equal(0, context.Counters.Get(UnionVocabStrategy.GatedStepsCounter));
        Assert.Equal(0, context.Counters.Get(UnionVocabStrategy.RewindsCounter));
    }

    [Fact]
    public async Task Weights_decide_between_members_sharing_a_tokenizer()
    {
        // A member with weight 0 is ignored: the ensemble is the other member decoding alone.
        var context = Decoding.Context([(members.CharacterA, 0.0), (members.CharacterB, 2.0)], Prompt, maxTokens: 20, [new("top_k", 97)]);
        var events = await Decoding.RunAsync(context);
        Assert.Equal(await Decoding.GreedyAloneAsync(members.CharacterB, Prompt, 20), events.SelectMany(e => e.TokenIds));
    }

    [Theory]
    [InlineData("bpe")]
    [InlineData("sp")]
    public async Task Members_with_different_tokenizers_keep_caches_equal_to_a_fresh_tokenization_and_prefill(string primary)
    {
        // With this prompt the ensemble of the byte-level member picks "l" twice in a row, which that member merges
        // into "ll". The SentencePiece member writes the character-level member's characters it lacks as <unk>.
        const string prompt = "hello w";
        var subword = new RecordingModel(primary == "bpe" ? members.ByteLevel : members.SentencePiece);
        var character = new RecordingModel(members.CharacterA);
        var context = Decoding.Context([(subword, null), (character, null)], prompt, maxTokens: 24);
        var events = await Decoding.RunAsync(context);

        Assert.NotEmpty(events);
        var output = string.Concat(events.Select(e => e.Text));
        Assert.All(events, e => Assert.NotEqual("", e.Text));
        Assert.DoesNotContain('\uFFFD', output);
        Assert.Equal(output, members.CharacterTokenizer.Decode(members.CharacterTokenizer.Encode(output)));
        if (primary == "bpe")
        {
            Assert.Equal(output, members.ByteLevelTokenizer.Decode(members.ByteLevelTokenizer.Encode(output)));
        }

        var rewinds = 0;
        foreach (var model in new[] { subword, character })
        {
            var appends = Assert.Single(model.Sessions).Appends;
            // One append per ensemble step; the step that chose the end of sequence has no event.
            Assert.InRange(appends.Count, events.Count, events.Count + 1);
            for (var step = 0; step < appends.Count; step++)
            {
                var text = prompt + string.Concat(events.Take(step).Select(e => e.Text));
                var (tokens, logits) = appends[step];
                Assert.Equal(model.Tokenizer.Encode(text, addSpecialTokens: true), tokens);
                var fresh = await ModelFixtures.AllAtOnce(model, tokens);
                Assert.True(ModelFixtures.MaxAbsDiff([logits], [fresh[^1]]) <= 1e-4, $"{model.Info.Name} step {step}: logits differ from a fresh prefill");
                if (step > 0 && !appends[step - 1].Tokens.SequenceEqual(tokens.Take(appends[step - 1].Tokens.Length)))
                {
                    rewinds++;
                }
            }
        }

        Assert.True(primary != "bpe" || rewinds > 0, "no step re-tokenized earlier tokens, so the rewind path went untested");
        Assert.Equal(rewinds, context.Counters.Get(UnionVocabStrategy.RewindsCounter));
        Assert.InRange(context.Counters.Get(UnionVocabStrategy.CandidatesPerStepCounter), 1, 20);
    }

    [Fact]
    public async Task Gating_with_threshold_zero_is_the_primary_alone_and_threshold_one_never_gates()
    {
        var alone = await Decoding.GreedyAloneAsync(members.CharacterA, Prompt, 20);
        var gated = Decoding.Context([(members.CharacterA, null), (members.ByteLevel, null)], Prompt, maxTokens: 20, [new("gate_threshold", 0.0)]);
        var gatedEvents = await Decoding.RunAsync(gated);
        Assert.Equal(alone, gatedEvents.SelectMany(e => e.TokenIds));
        Assert.Equal(gated.Counters.Get(UnionVocabStrategy.StepsCounter), gated.Counters.Get(UnionVocabStrategy.GatedStepsCounter));
        Assert.All(gatedEvents, e => Assert.Equal("m0", e.Source));

        var never = Decoding.Context([(members.CharacterA, null), (members.ByteLevel, null)], Prompt, maxTokens: 20, [new("gate_threshold", 1.0)]);
        var ungated = Decoding.Context([(members.CharacterA, null), (members.ByteLevel, null)], Prompt, maxTokens: 20);
        var neverEvents = await Decoding.RunAsync(never);
        Assert.Equal(string.Concat((await Decoding.RunAsync(ungated)).Select(e => e.Text)), string.Concat(neverEvents.Select(e => e.Text)));
        Assert.Equal(0, never.Counters.Get(UnionVocabStrategy.GatedStepsCounter));
        Assert.NotEqual(string.Concat(gatedEvents.Select(e => e.Text)), string.Concat(neverEvents.Select(e => e.Text)));
    }

    [Fact]
    public async Task Gated_and_ensemble_steps_mix_and_every_cache_still_matches_the_text()
    {
        var byteLevel = new RecordingModel(members.ByteLevel);
        var character = new RecordingModel(members.CharacterA);
        var context = Decoding.Context([(byteLevel, null), (character, null)], Prompt, maxTokens: 24, [new("gate_threshold", 0.1)]);
        var events = await Decoding.RunAsync(context);

        Assert.InRange(context.Counters.Get(UnionVocabStrategy.GatedStepsCounter), 1, context.Counters.Get(UnionVocabStrategy.StepsCounter) - 1);
        var texts = Enumerable.Range(0, events.Count + 1).Select(n => Prompt + string.Concat(events.Take(n).Select(e => e.Text))).ToList();
        foreach (var model in new[] { byteLevel, character })
        {
            foreach (var (tokens, logits) in Assert.Single(model.Sessions).Appends)
            {
                // The primary keeps the tokens it chose on gated steps, so its cache spells the text without being
                // its canonical tokenization; the other member is always canonical.
                var text = model.Tokenizer.Decode(tokens);
                Assert.Contains(text, texts);
                if (model == character)
                {
                    Assert.Equal(model.Tokenizer.Encode(text, addSpecialTokens: true), tokens);
                }

                var fresh = await ModelFixtures.AllAtOnce(model, tokens);
                Assert.True(ModelFixtures.MaxAbsDiff([logits], [fresh[^1]]) <= 1e-4, $"{model.Info.Name} after \"{text}\": logits differ from a fresh prefill");
            }
        }

        Assert.All(events.Where(e => e.Source == "m0"), e => Assert.Single(e.TokenIds));
    }

    [Fact]
    public async Task Stopping_early_or_cancelling_frees_every_session()
    {
        var byteLevel = new RecordingModel(members.ByteLevel);
        var character = new RecordingModel(members.CharacterA);
        var context = Decoding.Context([(byteLevel, null), (character, null)], Prompt, maxTokens: 24);
        var taken = 0;
        await foreach (var _ in new UnionVocabStrategy().DecodeAsync(context, CancellationToken.None))
        {
            if (++taken == 2)
            {
                break;
            }
        }

        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in new UnionVocabStrategy().DecodeAsync(context, cancellation.Token))
            {
            }
        });

        Assert.Equal(2, byteLevel.Sessions.Count);
        Assert.All(byteLevel.Sessions.Concat(character.Sessions), s => Assert.True(s.Disposed));
    }

    [Fact]
    public async Task Sampling_with_a_seed_is_reproducible_and_seeds_differ()
    {
        async Task<string> Run(ulong seed)
        {
            var context = Decoding.Context([(members.ByteLevel, 1.0), (members.CharacterA, 1.0)], Prompt, maxTokens: 16, temperature: 1.0, seed: seed);
            return string.Concat((await Decoding.RunAsync(context)).Select(e => e.Text));
        }

        Assert.Equal(await Run(1), await Run(1));
        var outputs = new HashSet<string>();
        for (ulong seed = 1; seed <= 4; seed++)
        {
            outputs.Add(await Run(seed));
        }

        Assert.True(outputs.Count > 1, "four seeds gave the same output");
    }
}
