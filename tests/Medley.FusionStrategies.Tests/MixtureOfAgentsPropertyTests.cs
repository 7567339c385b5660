using System.Globalization;
using CsCheck;
using Medley.Ensemble.MixtureOfAgents;
using Medley.FusionStrategies.Tests.Support;
using Medley.ResponseStrategies.Tests.Support;
using Medley.Sdk;
using Microsoft.Extensions.AI;

namespace Medley.FusionStrategies.Tests;

public sealed class MixtureOfAgentsPropertyTests
{
    [Fact]
    public void The_aggregator_sees_exactly_the_last_layers_answers_of_the_proposers_that_did_not_fail()
    {
        var failing = Gen.Bool.Array[1, 5].Where(f => f.Any(x => !x));
        Gen.Select(failing, Gen.Int[1, 3]).Sample((fails, layers) =>
        {
            var counters = new StrategyCounters();
            var aggregator = new RuleChatClient(m => m[0].Role == ChatRole.System ? m[0].Text : "no prompt");
            List<Participant> members = [.. fails.Select((fail, i) => new Participant(
                "p" + i.ToString(CultureInfo.InvariantCulture),
                "proposer",
                fail ? new FailingChatClient() : new RuleChatClient(m => $"p{i}@{(m[0].Role == ChatRole.System ? m[0].Text.Split('\n').Length : 1)}")))];
            members.Add(new Participant("agg", "aggregator", aggregator));
            var parameters = $$"""{"layers":{{layers}},"aggregate_prompt":"Answers:\n{responses}"}""";
            var client = EnsembleBuilder.Create(new MixtureOfAgentsStrategy(), parameters, counters, new CapturingLoggerFactory(), [.. members]);

            var response = Task.Run(() => EnsembleBuilder.AskAsync(client)).GetAwaiter().GetResult();

            var survivors = Enumerable.Range(0, fails.Length).Where(i => !fails[i]).ToList();
            var lines = layers == 1 ? 1 : survivors.Count + 1;
            var expected = "Answers:\n" + string.Join("\n", survivors.Select((p, k) => $"{k + 1}. p{p}@{lines}"));
            return response.Text == expected
                && Enumerable.Range(1, layers).All(l => counters.Get($"layer_{l}_calls") == fails.Length)
                && counters.Get("proposer_failures") == fails.Count(f => f) * layers
                && counters.Get("aggregator_calls") == 1;
        }, iter: 100);
    }
}
