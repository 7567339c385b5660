using Medley.Ensemble.Mbr;
using Medley.ResponseStrategies.Tests.Support;
using Medley.Sdk;

namespace Medley.ResponseStrategies.Tests;

public sealed class MbrStrategyTests
{
    private const string Mat = "the cat sat on the mat";
    private const string AMat = "the cat sat on a mat";
    private const string Rug = "the cat sat on the rug";
    private const string Dogs = "dogs bark";

    [Fact]
    public async Task Rouge_l_picks_the_candidate_closest_to_all_others()
    {
        // Mean ROUGE-L: Mat (5/6 + 0 + 5/6)/3 = 5/9; AMat (5/6 + 4/6 + 0)/3 = 1/2; Rug 1/2; Dogs 0.
        var counters = new StrategyCounters();
        var client = EnsembleClients.Create(new MbrStrategy(), """{"utility":"rougeL"}""", counters, new CapturingLoggerFactory(),
            ("a", new ScriptedChatClient(AMat)), ("b", new ScriptedChatClient(Dogs)), ("c", new ScriptedChatClient(Mat)), ("d", new ScriptedChatClient(Rug)));

        var response = await EnsembleClients.AskAsync(client);

        Assert.Equal(Mat, response.Text);
        Assert.Equal("c", response.AdditionalProperties!["medley.winner"]);
        Assert.Equal(5.0 / 9, counters.Get("winner_mean_utility"), 12);
        Assert.Equal(4, counters.Get("candidates"));
    }

    [Fact]
    public async Task Equal_mean_utilities_go_to_the_earliest_candidate()
    {
        // Without Mat, AMat and Rug both score (4/6 + 0)/2 = 1/3 against the rest.
        var client = EnsembleClients.Create(new MbrStrategy(), """{"utility":"rougeL"}""",
            ("a", new ScriptedChatClient(TimeSpan.FromMilliseconds(150), Dogs)), ("b", new ScriptedChatClient(TimeSpan.FromMilliseconds(100), Rug)), ("c", new ScriptedChatClient(AMat)));

        Assert.Equal(Rug, (await EnsembleClients.AskAsync(client)).Text);
    }

    [Fact]
    public async Task Chrf_is_the_default_utility_and_pools_samples_across_members()
    {
        string[] pool = ["abcd", "zzz", "abce", "abc", "xbcd"];
        var counters = new StrategyCounters();
        var client = EnsembleClients.Create(new MbrStrategy(), """{"samples":2}""", counters, new CapturingLoggerFactory(),
            ("a", new ScriptedChatClient(pool[0], pool[1])), ("b", new ScriptedChatClient(pool[2], pool[3])), ("c", new ScriptedChatClient(pool[4])));

        var response = await EnsembleClients.AskAsync(client);

        // Expected by brute force over the six pooled candidates (c's second sample repeats its last script).
        string[] pooled = [.. pool, pool[4]];
        var means = pooled.Select((h, i) => pooled.Where((_, j) => j != i).Average(r => ChrF.Score(h, r))).ToArray();
        var best = Array.IndexOf(means, means.Max());
        Assert.Equal(pooled[best], response.Text);
        Assert.Equal(means.Max(), counters.Get("winner_mean_utility"), 12);
        Assert.Equal(6, counters.Get("candidates"));
    }

    [Fact]
    public void An_unknown_utility_is_refused_naming_it()
    {
        var error = Assert.Throws<MedleyException>(() => EnsembleClients.Create(new MbrStrategy(), """{"utility":"bleu"}""", ("a", new ScriptedChatClient("x"))));
        Assert.Equal("parameter.invalid", error.Code);
        Assert.Contains("'utility'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cosine_uses_the_runs_embedding_generator_and_picks_the_candidate_nearest_the_others()
    {
        // Vectors: a = (1, 0), b = (0.6, 0.8), c = (0, 1). Cosines: a·b = 0.6, a·c = 0, b·c = 0.8.
        // Means: a (0.6 + 0)/2 = 0.3, b (0.6 + 0.8)/2 = 0.7, c (0 + 0.8)/2 = 0.4, so b wins with 0.7.
        var generator = new TableEmbeddingGenerator(new Dictionary<string, float[]>
        {
            ["first"] = [1f, 0f],
            ["middle"] = [0.6f, 0.8f],
            ["last"] = [0f, 2f],
        });
        var counters = new StrategyCounters();
        IReadOnlyList<Medley.Sdk.Responses.ResponseMember> members =
        [
            new("a", "member", new ScriptedChatClient("first"), StrategyParameters.Empty),
            new("b", "member", new ScriptedChatClient("middle"), StrategyParameters.Empty),
            new("c", "member", new ScriptedChatClient("last"), StrategyParameters.Empty),
        ];
        var client = new MbrStrategy().CreateClient(new Medley.Sdk.Responses.ResponseStrategyContext(
            members, StrategyParameters.FromJson("""{"utility":"cosine"}"""), counters, new CapturingLoggerFactory(), TimeProvider.System, generator));

        var response = await EnsembleClients.AskAsync(client);

        Assert.Equal(("middle", "b"), (response.Text, response.AdditionalProperties!["medley.winner"]));
        Assert.Equal(0.7, counters.Get("winner_mean_utility"), 6);
        Assert.Equal(1, generator.Calls);
    }

    [Fact]
    public async Task Cosine_without_a_generator_uses_the_hashed_ngram_embedding()
    {
        // The built-in embedding counts shared character 1-3-grams, so the three near-identical sentences outvote the
        // unrelated one; the reference below computes the same means from the embedding directly.
        var counters = new StrategyCounters();
        var client = EnsembleClients.Create(new MbrStrategy(), """{"utility":"cosine"}""", counters, new CapturingLoggerFactory(),
            ("a", new ScriptedChatClient(Dogs)), ("b", new ScriptedChatClient(Rug)), ("c", new ScriptedChatClient(Mat)), ("d", new ScriptedChatClient(AMat)));

        var response = await EnsembleClients.AskAsync(client);

        string[] pool = [Dogs, Rug, Mat, AMat];
        var vectors = pool.Select(Medley.Ensemble.Router.HashedNgramEmbeddingGenerator.Embed).ToArray();
        var means = pool.Select((_, i) => pool.Select((_, j) => j).Where(j => j != i).Average(j => Dot(vectors[i], vectors[j]))).ToArray();
        Assert.Equal(pool[Array.IndexOf(means, means.Max())], response.Text);
        Assert.NotEqual(Dogs, response.Text);
        Assert.Equal(means.Max(), counters.Get("winner_mean_utility"), 5);
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
}
