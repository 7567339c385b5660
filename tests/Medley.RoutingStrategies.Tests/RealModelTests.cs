using Medley.Ensemble.Cascade;
using Medley.Ensemble.Router;
using Medley.RoutingStrategies.Tests.Support;

namespace Medley.RoutingStrategies.Tests;

/// <summary>Router and cascade over the bundled skills models, decoded for real through ONNX Runtime.</summary>
public sealed class RealModelTests : IClassFixture<SkillsModelsFixture>
{
    private readonly SkillsModelsFixture _skills;

    public RealModelTests(SkillsModelsFixture skills) => _skills = skills;

    [Fact]
    public async Task Routing_by_task_is_at_least_as_accurate_as_either_fine_tune_alone()
    {
        var items = _skills.Tasks["add"].Take(10).Concat(_skills.Tasks["rev"].Take(10)).ToList();
        var ensemble = new TestEnsemble().Member("ft-add", _skills.Client("ft-add")).Member("ft-rev", _skills.Client("ft-rev"));
        var router = ensemble.Build(new RouterStrategy(), """{"rules":[{"pattern":"^\\d+\\+\\d+=$","member":"ft-add"},{"pattern":"^rev:","member":"ft-rev"}]}""");

        var routed = await AccuracyAsync(router, items);
        var addAlone = await AccuracyAsync(_skills.Client("ft-add"), items);
        var revAlone = await AccuracyAsync(_skills.Client("ft-rev"), items);

        Assert.Equal((10, 10), (ensemble.Counters.Get("routed_to.ft-add"), ensemble.Counters.Get("routed_to.ft-rev")));
        Assert.True(routed >= Math.Max(addAlone, revAlone), $"router {routed}, ft-add alone {addAlone}, ft-rev alone {revAlone}");
        Assert.True(routed > 0.5, $"router accuracy {routed}");
    }

    [Fact]
    public async Task The_built_in_embedding_routes_unseen_prompts_to_the_member_with_that_task_profile()
    {
        static string Profile(IEnumerable<(string Prompt, string Answer)> items) => System.Text.Json.JsonSerializer.Serialize(items.Select(i => i.Prompt));
        var ensemble = new TestEnsemble()
            .Member("ft-rev", _skills.Client("ft-rev"), $$"""{"profile":{{Profile(_skills.Tasks["rev"].Skip(50).Take(5))}}}""")
            .Member("ft-add", _skills.Client("ft-add"), $$"""{"profile":{{Profile(_skills.Tasks["add"].Skip(50).Take(5))}}}""");
        var router = ensemble.Build(new RouterStrategy(), """{"mode":"embedding"}""");

        foreach (var (task, member) in new[] { ("add", "ft-add"), ("rev", "ft-rev") })
        {
            foreach (var (prompt, _) in _skills.Tasks[task].Take(8))
            {
                Assert.Equal(member, TestEnsemble.Winner(await TestEnsemble.AskAsync(router, prompt)));
            }
        }
    }

    [Fact]
    public async Task The_cascade_escalates_exactly_when_the_small_models_mean_log_probability_is_below_the_threshold()
    {
        var (prompt, _) = _skills.Tasks["add"][0];
        var direct = await TestEnsemble.AskAsync(_skills.Client("small"), prompt);
        var mean = ResponseLogProbabilities.Mean(direct)!.Value;
        Assert.InRange(mean, double.NegativeInfinity, 0);

        foreach (var (threshold, winner) in new[] { (mean, "small"), (mean + 1e-9, "large") })
        {
            var large = _skills.Client("large");
            var ensemble = new TestEnsemble()
                .Member("large", large, """{"cost":10}""")
                .Member("small", _skills.Client("small"), """{"cost":1}""");
            var cascade = ensemble.Build(new CascadeStrategy(), $$"""{"scorer":"logprob","threshold":{{threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}}}""");

            var response = await TestEnsemble.AskAsync(cascade, prompt);

            Assert.Equal(winner, TestEnsemble.Winner(response));
            Assert.Equal(winner == "small" ? direct.Text : (await TestEnsemble.AskAsync(_skills.Client("large"), prompt)).Text, response.Text);
            Assert.Equal(winner == "small" ? 0 : 1, ensemble.Counters.Get("escalations"));
            Assert.Equal(winner == "small" ? 0 : 1, large.Calls);
        }
    }

    private static async Task<double> AccuracyAsync(Microsoft.Extensions.AI.IChatClient client, IReadOnlyList<(string Prompt, string Answer)> items)
    {
        var correct = 0;
        foreach (var (prompt, answer) in items)
        {
            correct += (await TestEnsemble.AskAsync(client, prompt)).Text.Trim() == answer ? 1 : 0;
        }

        return (double)correct / items.Count;
    }
}
