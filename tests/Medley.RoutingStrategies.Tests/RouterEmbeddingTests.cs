using Medley.Ensemble.Router;
using Medley.ResponseStrategies.Tests.Support;
using Medley.RoutingStrategies.Tests.Support;

namespace Medley.RoutingStrategies.Tests;

public sealed class RouterEmbeddingTests
{
    [Theory]
    // Shares "+", "=", "7+8" and more with the math profile, and little with the word profiles.
    [InlineData("7+80=", "math")]
    [InlineData("reverse the word world", "text")]
    [InlineData("sort the letters of banana", "sorter")]
    public async Task The_built_in_embedding_routes_to_the_member_whose_profile_matches(string question, string expected)
    {
        var ensemble = new TestEnsemble()
            .Member("math", new ScriptedChatClient("m"), """{"profile":["12+345=","7+8=","100+23="]}""")
            .Member("text", new ScriptedChatClient("t"), """{"profile":["reverse the word hello","reverse the letters of apple"]}""")
            .Member("sorter", new ScriptedChatClient("s"), """{"profile":["sort the letters of dcba","sort the letters of tree"]}""");
        var client = ensemble.Build(new RouterStrategy(), """{"mode":"embedding"}""");

        Assert.Equal(expected, TestEnsemble.Winner(await TestEnsemble.AskAsync(client, question)));
        Assert.InRange(ensemble.Counters.Get("score_mean"), 0.1, 1.0);
    }

    [Fact]
    public async Task A_given_embedding_generator_is_used_and_the_score_is_the_best_cosine_similarity()
    {
        // a's centroid is (1, 0); b's is the mean of (0, 1) and (1, 1)/√2. The question "aab" embeds as (2, 1).
        var embeddings = new LetterCountEmbeddings();
        var ensemble = new TestEnsemble { Embeddings = embeddings }
            .Member("a", new ScriptedChatClient("from a"), """{"profile":["a"]}""")
            .Member("b", new ScriptedChatClient("from b"), """{"profile":["b","ab"]}""");
        var client = ensemble.Build(new RouterStrategy(), """{"mode":"embedding"}""");

        var response = await TestEnsemble.AskAsync(client, "aab");

        var r = 1 / Math.Sqrt(2);
        double[] centroidB = [r / 2, (1 + r) / 2];
        var cosineA = 2 / Math.Sqrt(5);
        var cosineB = ((2 * centroidB[0]) + centroidB[1]) / (Math.Sqrt(5) * Math.Sqrt((centroidB[0] * centroidB[0]) + (centroidB[1] * centroidB[1])));
        Assert.True(cosineA > cosineB);
        Assert.Equal("a", TestEnsemble.Winner(response));
        Assert.Equal(cosineA, ensemble.Counters.Get("score_mean"), 6);

        // Profiles are embedded once (one call per member), then one call per request.
        await TestEnsemble.AskAsync(client, "bbb");
        Assert.Equal(2 + 2, embeddings.Calls);
        Assert.Equal(1, ensemble.Counters.Get("routed_to.b"));
        Assert.Equal((cosineA + ((3 * centroidB[1]) / (3 * Math.Sqrt((centroidB[0] * centroidB[0]) + (centroidB[1] * centroidB[1]))))) / 2, ensemble.Counters.Get("score_mean"), 6);
    }

    [Theory]
    // Question "aab" = (2, 1): cosine to strong (1, 0) is 2/√5, to weak (0, 1) 1/√5, so the margin is 1/√5 ≈ 0.4472.
    [InlineData(0.44, "strong")]
    [InlineData(0.45, "weak")]
    [InlineData(-1.0, "strong")]
    public async Task Two_tier_embedding_routing_compares_the_similarity_margin_with_the_threshold(double threshold, string expected)
    {
        var ensemble = new TestEnsemble { Embeddings = new LetterCountEmbeddings() }
            .Member("weak", new ScriptedChatClient("w"), """{"tier":"weak","profile":["b"]}""")
            .Member("strong", new ScriptedChatClient("s"), """{"tier":"strong","profile":["a"]}""");
        var client = ensemble.Build(new RouterStrategy(), $$"""{"mode":"embedding","threshold":{{threshold}}}""");

        Assert.Equal(expected, TestEnsemble.Winner(await TestEnsemble.AskAsync(client, "aab")));
        Assert.Equal(1 / Math.Sqrt(5), ensemble.Counters.Get("score_mean"), 6);
    }

    [Fact]
    public void The_built_in_embedding_is_a_unit_term_frequency_vector_of_hashed_character_ngrams()
    {
        // " aa " has " " ×2, "a" ×2, " a", "aa", "a ", " aa", "aa ": counts 2, 2, 1, 1, 1, 1, 1, norm √13 (no bucket collides).
        var vector = HashedNgramEmbeddingGenerator.Embed("AA");
        Assert.Equal(HashedNgramEmbeddingGenerator.Dimensions, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), 5);
        Assert.Equal(2, vector.Count(v => Math.Abs(v - (2 / Math.Sqrt(13))) < 1e-6));
        Assert.Equal(5, vector.Count(v => Math.Abs(v - (1 / Math.Sqrt(13))) < 1e-6));

        // " aaaa ": " " 2, "a" 4, " a" 1, "aa" 3, "a " 1, " aa" 1, "aaa" 2, "aa " 1: norm √37, largest 4/√37.
        var repeated = HashedNgramEmbeddingGenerator.Embed("aaaa");
        Assert.Equal(4 / Math.Sqrt(37), repeated.Max(), 5);
        Assert.Equal(HashedNgramEmbeddingGenerator.Embed("aaaa"), repeated);
        Assert.All(HashedNgramEmbeddingGenerator.Embed(string.Empty), v => Assert.Equal(0f, v));
        Assert.All(HashedNgramEmbeddingGenerator.Embed(" \n"), v => Assert.Equal(0f, v));
    }
}
