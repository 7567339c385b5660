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
}
