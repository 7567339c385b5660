using System.Globalization;
using CsCheck;
using Medley.Ensemble.PairwiseRank;
using Medley.FusionStrategies.Tests.Support;
using Medley.ResponseStrategies.Tests.Support;
using Medley.Sdk;

namespace Medley.FusionStrategies.Tests;

public sealed class PairwiseRankPropertyTests
{
    [Fact]
    public void With_a_consistent_judge_both_aggregations_find_the_best_candidate_with_the_formula_number_of_calls()
    {
        var qualities = Gen.Int[0, 500].Array[1, 7].Where(q => q.Distinct().Count() == q.Length);
        Gen.Select(qualities, Gen.Bool, Gen.Bool).Sample((quality, bubble, bothOrders) =>
        {
            var counters = new StrategyCounters();
            var judge = PairJudge.ByQuality();
            List<Participant> members = [.. quality.Select((q, i) => new Participant(
                "m" + i.ToString(CultureInfo.InvariantCulture), "member", RuleChatClient.Fixed("q" + q.ToString(CultureInfo.InvariantCulture))))];
            members.Add(new Participant("judge", "judge", judge));
            var parameters = $"{{\"aggregation\":\"{(bubble ? "bubble" : "max_wins")}\",\"both_orders\":{(bothOrders ? "true" : "false")},{PairJudge.TemplateParameter}}}";
            var client = EnsembleBuilder.Create(new PairwiseRankStrategy(), parameters, counters, new CapturingLoggerFactory(), [.. members]);

            var response = Task.Run(() => EnsembleBuilder.AskAsync(client)).GetAwaiter().GetResult();

            var n = quality.Length;
            var best = Array.IndexOf(quality, quality.Max());
            var comparisons = bubble ? n - 1 : n * (n - 1) / 2;
            return response.Text == "q" + quality[best].ToString(CultureInfo.InvariantCulture)
                && counters.Get("winner_index") == best
                && counters.Get("comparisons") == comparisons
                && counters.Get("judge_calls") == comparisons * (bothOrders ? 2 : 1)
                && judge.Calls == comparisons * (bothOrders ? 2 : 1);
        }, iter: 200);
    }
}
