using Medley.Ensemble.UnionVocab;
using Medley.Runtime.Tests;
using Medley.Sdk;
using Medley.Sdk.Decoding;

namespace Medley.UnionVocab.Tests;

public sealed class EnsembleMemberTests(TinyMembers members) : IClassFixture<TinyMembers>
{
    [Fact]
    public async Task Re_tokenizing_a_growing_text_rewinds_where_merges_cross_the_old_end()
    {
        using var member = new EnsembleMember(new DecodingMember("member", "bpe", members.ByteLevel, StrategyParameters.Empty));
        var vocabulary = ByteLevelFixture.Vocabulary();
        int He = vocabulary["he"], L = vocabulary["l"], Hell = vocabulary["hell"], Hello = vocabulary["hello"], SpaceW = vocabulary["Ġw"], SpaceWor = vocabulary["Ġwor"];

        // Text after each step, the byte-level tokenization written out by hand from the fixture's merges, and the
        // rewinds so far: "hel" → "hell" regroups [he, l] into [hell], "hell" → "hello" and " w" → " wor" likewise.
        (string Text, int[] Tokens, int Rewinds)[] steps =
        [
            ("he", [He], 0),
            ("hel", [He, L], 0),
            ("hell", [Hell], 1),
            ("hello", [Hello], 2),
            ("hello w", [Hello, SpaceW], 2),
            ("hello wor", [Hello, SpaceWor], 3),
            ("hello", [Hello], 4),
        ];
        foreach (var (text, tokens, rewinds) in steps)
        {
            Assert.True(await member.SyncAsync(text, CancellationToken.None));
            Assert.Equal(tokens, member.Tokens);
            Assert.Equal(rewinds, member.Rewinds);
            var fresh = await ModelFixtures.AllAtOnce(members.ByteLevel, tokens);
            Assert.True(ModelFixtures.MaxAbsDiff([member.LastLogits.ToArray()], [fresh[^1]]) <= 1e-4, $"logits after \"{text}\" differ from a fresh prefill");
        }
    }

    [Fact]
    public async Task Syncing_the_same_text_again_runs_nothing()
    {
        var recording = new RecordingModel(members.CharacterA);
        using var member = new EnsembleMember(new DecodingMember("member", "char", recording, StrategyParameters.Empty));
        await member.SyncAsync("abc", CancellationToken.None);
        await member.SyncAsync("abc", CancellationToken.None);
        await member.SyncAsync("abcd", CancellationToken.None);
        var appends = Assert.Single(recording.Sessions).Appends;
        Assert.Equal(2, appends.Count);
        Assert.Equal([65, 66, 67, 68], appends[1].Tokens);
        Assert.Equal(0, member.Rewinds);
    }

    [Fact]
    public async Task A_text_past_the_context_ends_generation_instead_of_failing()
    {
        using var member = new EnsembleMember(new DecodingMember("member", "char", members.CharacterA, StrategyParameters.Empty));
        Assert.True(await member.SyncAsync(new string('a', 128), CancellationToken.None));
        Assert.False(await member.SyncAsync(new string('a', 129), CancellationToken.None));
        Assert.Equal(128, member.Tokens.Count);
    }
}
