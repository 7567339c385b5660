using System.Globalization;
using Medley.Ensemble.PairwiseRank;
using Medley.FusionStrategies.Tests.Support;
using Medley.ResponseStrategies.Tests.Support;
using Medley.Sdk;
using Microsoft.Extensions.AI;

namespace Medley.FusionStrategies.Tests;

public sealed class PairwiseRankStrategyTests
{
    private static Participant Member(string name, string text) => new(name, "member", RuleChatClient.Fixed(text));

    private static Participant[] Members(params string[] texts) =>
        texts.Select((text, i) => Member("m" + i.ToString(CultureInfo.InvariantCulture), text)).ToArray();

    private static string Parameters(string aggregation, bool bothOrders, string extra = "") =>
        $"{{\"aggregation\":\"{aggregation}\",\"both_orders\":{(bothOrders ? "true" : "false")},{PairJudge.TemplateParameter}{extra}}}";

    [Theory]
    [InlineData("max_wins", true, 6, 12)]
    [InlineData("max_wins", false, 6, 6)]
    [InlineData("bubble", true, 3, 6)]
    [InlineData("bubble", false, 3, 3)]
    public async Task The_best_candidate_wins_with_the_exact_number_of_comparisons(string aggregation, bool bothOrders, int comparisons, int judgeCalls)
    {
        var counters = new StrategyCounters();
        var judge = PairJudge.ByQuality();
        var client = EnsembleBuilder.Create(new PairwiseRankStrategy(), Parameters(aggregation, bothOrders), counters, new CapturingLoggerFactory(),
            [.. Members("q3", "q9", "q1", "q5"), new Participant("judge", "judge", judge)]);

        var response = await EnsembleBuilder.AskAsync(client);

        Assert.Equal("q9", response.Text);
        Assert.Equal("m1", response.AdditionalProperties!["medley.winner"]);
        Assert.Equal(1, counters.Get("winner_index"));
        Assert.Equal(comparisons, counters.Get("comparisons"));
        Assert.Equal(judgeCalls, counters.Get("judge_calls"));
        Assert.Equal(judgeCalls, judge.Calls);
        Assert.All(judge.Received, m => Assert.StartsWith("Q: Which is best?\nA=<<", m.Single().Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_judge_biased_towards_the_first_position_is_neutralised_by_asking_both_orders()
    {
        // Prefers the answer shown first unless the second is better by more than 3 quality points.
        RuleChatClient Biased() => PairJudge.Create((a, b) => PairJudge.Quality(b) > PairJudge.Quality(a) + 3 ? "B" : "A");
        Participant[] members = [.. Members("q1", "q2", "q5")];

        // One order: q1 beats q2 (shown first), q5 beats q1 (by 4), q2 beats q5 (shown first): one point each, the earliest wins.
        var oneOrder = await EnsembleBuilder.AskAsync(EnsembleBuilder.Create(new PairwiseRankStrategy(), Parameters("max_wins", bothOrders: false),
            [.. members, new Participant("judge", "judge", Biased())]));
        Assert.Equal("q1", oneOrder.Text);

        // Both orders: q1 1 point, q2 2 (1 vs q1, 1 vs q5), q5 3 (2 vs q1, 1 vs q2).
        var counters = new StrategyCounters();
        var bothOrders = await EnsembleBuilder.AskAsync(EnsembleBuilder.Create(new PairwiseRankStrategy(), Parameters("max_wins", bothOrders: true), counters, new CapturingLoggerFactory(),
            [.. members, new Participant("judge", "judge", Biased())]));
        Assert.Equal("q5", bothOrders.Text);
        Assert.Equal(2, counters.Get("winner_index"));
    }

    [Fact]
    public async Task Bubble_and_max_wins_differ_on_a_non_transitive_judge()
    {
        // c0 beats c1, c2, c3 (3 wins) but loses to c4; no other candidate has more than 2 wins.
        HashSet<(string Winner, string Loser)> beats =
        [
            ("c0", "c1"), ("c0", "c2"), ("c0", "c3"), ("c4", "c0"),
            ("c1", "c2"), ("c1", "c3"), ("c4", "c1"), ("c2", "c3"), ("c2", "c4"), ("c3", "c4"),
        ];
        RuleChatClient Judge() => PairJudge.Create((a, b) => beats.Contains((a, b)) ? "A" : beats.Contains((b, a)) ? "B" : throw new InvalidOperationException(a + b));
        Participant[] members = [.. Members("c0", "c1", "c2", "c3", "c4")];

        var maxWinsCounters = new StrategyCounters();
        var maxWins = await EnsembleBuilder.AskAsync(EnsembleBuilder.Create(new PairwiseRankStrategy(), Parameters("max_wins", bothOrders: true), maxWinsCounters, new CapturingLoggerFactory(),
            [.. members, new Participant("judge", "judge", Judge())]));
        var bubbleCounters = new StrategyCounters();
        var bubble = await EnsembleBuilder.AskAsync(EnsembleBuilder.Create(new PairwiseRankStrategy(), Parameters("bubble", bothOrders: true), bubbleCounters, new CapturingLoggerFactory(),
            [.. members, new Participant("judge", "judge", Judge())]));

        Assert.Equal("c0", maxWins.Text);
        Assert.Equal(10, maxWinsCounters.Get("comparisons"));
        Assert.Equal(20, maxWinsCounters.Get("judge_calls"));

        // The champion c0 beats c1, c2, c3, then meets c4 last and loses.
        Assert.Equal("c4", bubble.Text);
        Assert.Equal("m4", bubble.AdditionalProperties!["medley.winner"]);
        Assert.Equal(4, bubbleCounters.Get("comparisons"));
        Assert.Equal(8, bubbleCounters.Get("judge_calls"));
    }

    [Theory]
    [InlineData("A", 0)]
    [InlineData("b", 1)]
    [InlineData("**B**", 1)]
    [InlineData("[[A]]", 0)]
    [InlineData("The answer is B.", 1)]
    [InlineData("Verdict: (B)", 1)]
    [InlineData("Answer B is better than answer A.", 1)]
    [InlineData("After weighing both, A is the better one since it is exact.", 0)]
    [InlineData("Only B gets the sum right", 1)]
    [InlineData("A and B are equally good", -1)]
    [InlineData("I cannot decide", -1)]
    [InlineData("", -1)]
    public async Task Judge_replies_are_read_robustly_and_unreadable_ones_count_as_ties(string reply, int expectedWinner)
    {
        var counters = new StrategyCounters();
        var client = EnsembleBuilder.Create(new PairwiseRankStrategy(), """{"both_orders":false}""", counters, new CapturingLoggerFactory(),
            [.. Members("first", "second"), new Participant("judge", "judge", RuleChatClient.Fixed(reply))]);

        var response = await EnsembleBuilder.AskAsync(client);

        // A tie gives half a point to each side, so the earlier candidate stays first.
        Assert.Equal(expectedWinner == 1 ? "second" : "first", response.Text);
        Assert.Equal(expectedWinner == -1 ? 1 : 0, counters.Get("tied_verdicts"));
    }

    [Fact]
    public async Task In_a_bubble_pass_a_tie_keeps_the_champion()
    {
        var counters = new StrategyCounters();
        var client = EnsembleBuilder.Create(new PairwiseRankStrategy(), """{"aggregation":"bubble"}""", counters, new CapturingLoggerFactory(),
            [.. Members("first", "second", "third"), new Participant("judge", "judge", RuleChatClient.Fixed("Both are fine."))]);

        Assert.Equal("first", (await EnsembleBuilder.AskAsync(client)).Text);
        Assert.Equal(4, counters.Get("tied_verdicts"));
        Assert.Equal(0, counters.Get("winner_index"));
    }

    [Fact]
    public async Task The_default_judge_prompt_holds_the_instruction_and_both_candidates()
    {
        var judge = RuleChatClient.Fixed("B");
        var client = EnsembleBuilder.Create(new PairwiseRankStrategy(), """{"both_orders":false}""",
            [.. Members("first answer", "second answer"), new Participant("judge", "judge", judge)]);

        Assert.Equal("second answer", (await EnsembleBuilder.AskAsync(client)).Text);

        var prompt = Assert.Single(Assert.Single(judge.Received)).Text;
        var request = prompt.IndexOf("[Request]\nWhich is best?\n", StringComparison.Ordinal);
        var first = prompt.IndexOf("[Answer A]\nfirst answer\n", StringComparison.Ordinal);
        var second = prompt.IndexOf("[Answer B]\nsecond answer\n", StringComparison.Ordinal);
        Assert.True(request >= 0 && first > request && second > first, prompt);
        Assert.DoesNotContain("{", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_candidate_containing_a_placeholder_is_shown_as_written()
    {
        var judge = RuleChatClient.Fixed("A");
        var client = EnsembleBuilder.Create(new PairwiseRankStrategy(), """{"both_orders":false}""",
            [.. Members("use {candidate_b} here", "plain"), new Participant("judge", "judge", judge)]);

        await EnsembleBuilder.AskAsync(client);

        var prompt = Assert.Single(Assert.Single(judge.Received)).Text;
        Assert.Contains("[Answer A]\nuse {candidate_b} here\n", prompt, StringComparison.Ordinal);
        Assert.Contains("[Answer B]\nplain\n", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fusion_gives_the_fuser_the_top_k_best_first_and_returns_its_answer()
    {
        var counters = new StrategyCounters();
        var fuser = new RuleChatClient(_ => "fused answer");
        var client = EnsembleBuilder.Create(new PairwiseRankStrategy(), Parameters("max_wins", true, ""","fuse_top_k":2,"fusion_prompt":"K={k} I={instruction}\n{candidates}" """), counters, new CapturingLoggerFactory(),
            [.. Members("q2", "q7", "q1", "q5"), new Participant("judge", "judge", PairJudge.ByQuality()), new Participant("fuser", "fuser", fuser)]);

        var response = await EnsembleBuilder.AskAsync(client);

        Assert.Equal("fused answer", response.Text);
        Assert.Equal("m1", response.AdditionalProperties!["medley.winner"]);
        Assert.Equal("fuser", response.AdditionalProperties!["medley.fuser"]);
        Assert.Equal("K=2 I=Which is best?\n[1]\nq7\n\n[2]\nq5", Assert.Single(Assert.Single(fuser.Received)).Text);
    }

    [Fact]
    public async Task Without_fusion_streaming_yields_the_winner_and_with_fusion_the_fusers_answer_streams()
    {
        Participant[] members = [.. Members("q2", "q7", "q1")];
        var plain = EnsembleBuilder.Create(new PairwiseRankStrategy(), Parameters("bubble", true), [.. members, new Participant("judge", "judge", PairJudge.ByQuality())]);
        var streamed = await EnsembleBuilder.StreamAsync(plain);
        Assert.Equal((await EnsembleBuilder.AskAsync(plain)).Text, streamed.Text);
        Assert.Equal("m1", streamed.Winner);

        var fusing = EnsembleBuilder.Create(new PairwiseRankStrategy(), Parameters("bubble", true, ""","fuse_top_k":3"""),
            [.. members, new Participant("judge", "judge", PairJudge.ByQuality()), new Participant("fuser", "fuser", new RuleChatClient(m => "fused from " + m.Single().Text.Length.ToString(CultureInfo.InvariantCulture) + " characters", chunk: 4))]);
        var fused = await EnsembleBuilder.StreamAsync(fusing);
        Assert.Equal((await EnsembleBuilder.AskAsync(fusing)).Text, fused.Text);
        Assert.StartsWith("fused from ", fused.Text, StringComparison.Ordinal);
        Assert.True(fused.Updates > 1, "the fuser's answer should arrive in several updates");
        Assert.Equal("m1", fused.Winner);
    }

    [Fact]
    public async Task A_failing_member_is_dropped_and_the_rest_are_ranked()
    {
        var counters = new StrategyCounters();
        var loggers = new CapturingLoggerFactory();
        var client = EnsembleBuilder.Create(new PairwiseRankStrategy(), Parameters("max_wins", true), counters, loggers,
            Member("a", "q4"), new Participant("broken", "member", new FailingChatClient()), Member("c", "q6"), new Participant("judge", "judge", PairJudge.ByQuality()));

        var response = await EnsembleBuilder.AskAsync(client);

        Assert.Equal("q6", response.Text);
        Assert.Equal("c", response.AdditionalProperties!["medley.winner"]);
        Assert.Equal(1, counters.Get("comparisons"));
        Assert.Equal(1, counters.Get("dropped_members"));
        Assert.Contains(loggers.Logger.Warnings, w => w.Contains("'broken'", StringComparison.Ordinal));

        var strict = EnsembleBuilder.Create(new PairwiseRankStrategy(), """{"quorum":3}""",
            Member("a", "q4"), new Participant("broken", "member", new FailingChatClient()), Member("c", "q6"), new Participant("judge", "judge", PairJudge.ByQuality()));
        var error = await Assert.ThrowsAsync<MedleyException>(() => EnsembleBuilder.AskAsync(strict));
        Assert.Equal("response.quorum_lost", error.Code);
    }

    [Fact]
    public async Task A_failing_judge_is_a_clear_error_naming_it()
    {
        var client = EnsembleBuilder.Create(new PairwiseRankStrategy(), "{}", [.. Members("x", "y"), new Participant("referee", "judge", new FailingChatClient())]);

        var error = await Assert.ThrowsAsync<MedleyException>(() => EnsembleBuilder.AskAsync(client));

        Assert.Equal("response.judge_failed", error.Code);
        Assert.Contains("'referee'", error.Message, StringComparison.Ordinal);
        Assert.Contains("500", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_while_the_judge_runs_leaves_no_judge_call_running()
    {
        var judge = new HangingChatClient();
        var client = EnsembleBuilder.Create(new PairwiseRankStrategy(), """{"aggregation":"max_wins"}""", [.. Members("x", "y", "z"), new Participant("judge", "judge", judge)]);
        using var cancellation = new CancellationTokenSource();

        var request = EnsembleBuilder.AskAsync(client, cancellation.Token);
        await judge.Started.WaitAsync(TimeSpan.FromSeconds(10));
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        Assert.Equal(0, judge.Running);
    }

    [Fact]
    public async Task Max_wins_judge_calls_run_concurrently_up_to_the_limit_and_bubble_calls_one_pair_at_a_time()
    {
        var judge = new ScriptedChatClient(TimeSpan.FromMilliseconds(30), "A");
        var client = EnsembleBuilder.Create(new PairwiseRankStrategy(), """{"concurrency":3}""", [.. Members("w", "x", "y", "z"), new Participant("judge", "judge", judge)]);
        Assert.Equal("w", (await EnsembleBuilder.AskAsync(client)).Text);
        Assert.Equal(12, judge.Calls);
        Assert.Equal(3, judge.MaxRunning);

        var bubbleJudge = new ScriptedChatClient(TimeSpan.FromMilliseconds(30), "A");
        var bubble = EnsembleBuilder.Create(new PairwiseRankStrategy(), """{"concurrency":3,"aggregation":"bubble"}""", [.. Members("w", "x", "y", "z"), new Participant("judge", "judge", bubbleJudge)]);
        Assert.Equal("w", (await EnsembleBuilder.AskAsync(bubble)).Text);
        Assert.Equal(6, bubbleJudge.Calls);
        Assert.Equal(2, bubbleJudge.MaxRunning);
    }

    [Fact]
    public async Task A_single_candidate_is_returned_without_asking_the_judge()
    {
        var counters = new StrategyCounters();
        var judge = RuleChatClient.Fixed("A");
        var client = EnsembleBuilder.Create(new PairwiseRankStrategy(), "{}", counters, new CapturingLoggerFactory(), Member("only", "alone"), new Participant("judge", "judge", judge));

        Assert.Equal("alone", (await EnsembleBuilder.AskAsync(client)).Text);
        Assert.Equal(0, judge.Calls);
        Assert.Equal(0, counters.Get("comparisons"));
    }

    [Theory]
    [InlineData("{}", false, false, "strategy.members")]
    [InlineData("""{"fuse_top_k":2}""", true, false, "strategy.members")]
    [InlineData("""{"fuse_top_k":1}""", true, true, "parameter.invalid")]
    [InlineData("""{"fuse_top_k":0}""", true, true, "parameter.invalid")]
    [InlineData("""{"aggregation":"borda"}""", true, false, "parameter.invalid")]
    [InlineData("""{"judge_prompt":"Which is better, {candidate_a} or the other?"}""", true, false, "parameter.invalid")]
    [InlineData("""{"fuse_top_k":2,"fusion_prompt":"fuse them"}""", true, true, "parameter.invalid")]
    public void Configuration_mistakes_are_clear_errors(string parameters, bool withJudge, bool withFuser, string code)
    {
        List<Participant> members = [.. Members("x", "y")];
        if (withJudge)
        {
            members.Add(new Participant("judge", "judge", RuleChatClient.Fixed("A")));
        }

        if (withFuser)
        {
            members.Add(new Participant("fuser", "fuser", RuleChatClient.Fixed("f")));
        }

        var error = Assert.Throws<MedleyException>(() => EnsembleBuilder.Create(new PairwiseRankStrategy(), parameters, [.. members]));
        Assert.Equal(code, error.Code);
    }
}
