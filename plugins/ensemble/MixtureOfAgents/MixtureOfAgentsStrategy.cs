using System.Text.Json;
using Medley.Ensemble.Responses;
using Medley.Sdk;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Ensemble.MixtureOfAgents;

/// <summary>
/// Mixture-of-agents (Wang et al. 2024): <c>layers</c> layers of proposers, then one aggregator. Layer 1 answers the
/// user's conversation; from layer 2 each proposer, and finally the aggregator, answers it under the
/// <c>aggregate_prompt</c> system prompt listing the previous layer's answers. A proposer takes part in every layer
/// unless its member parameter <c>in_layers</c> lists the layer numbers it answers in (a name of its own because
/// member parameters are checked against the same schema as the strategy's, where <c>layers</c> is the count). Failed proposers are dropped with a
/// warning; a layer with fewer than <c>quorum</c> answers is <c>response.quorum_lost</c>. Counters:
/// <c>layer_N_calls</c>, <c>proposer_failures</c>, <c>aggregator_calls</c>, <c>member_calls</c>, <c>dropped_members</c>.
/// </summary>
[MedleyStrategy("mixture-of-agents")]
public sealed class MixtureOfAgentsStrategy : IResponseStrategy
{
    /// <inheritdoc />
    public IChatClient CreateClient(ResponseStrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = context.Parameters;
        var layerCount = parameters.GetInt32("layers", 2);
        if (layerCount < 1)
        {
            throw new MedleyException("parameter.invalid", $"Parameter 'layers' is {layerCount}: expected an integer of at least 1 (layers of proposers below the aggregator).");
        }

        if (parameters.Contains("in_layers"))
        {
            throw new MedleyException("parameter.invalid", "Parameter 'in_layers' is a member parameter: give it to a proposer in the run config (e.g. in_layers: [1, 2]), not to the strategy.");
        }

        var proposers = context.Members.Where(m => m.Role == "proposer").ToList();
        if (proposers.Count == 0)
        {
            throw new MedleyException("strategy.members", "Strategy 'mixture-of-agents' needs at least one member with role 'proposer'; the run config names none.");
        }

        var aggregators = context.Members.Where(m => m.Role == "aggregator").ToList();
        if (aggregators.Count != 1)
        {
            throw new MedleyException(
                "strategy.members",
                $"Strategy 'mixture-of-agents' needs exactly one member with role 'aggregator'; the run config names {aggregators.Count}{(aggregators.Count == 0 ? string.Empty : ": " + string.Join(", ", aggregators.Select(m => $"'{m.Name}'")))}.");
        }

        var settings = new FanOutSettings(1, AtLeastOne(parameters, "concurrency", 4), AtLeastOne(parameters, "quorum", 1));
        var layers = Layers(proposers, layerCount, settings.Quorum);
        var template = parameters.GetString("aggregate_prompt", null) ?? AggregatePrompt.DefaultTemplate;
        if (!template.Contains(AggregatePrompt.Placeholder, StringComparison.Ordinal))
        {
            throw new MedleyException("parameter.invalid", $"Parameter 'aggregate_prompt' lacks the placeholder {AggregatePrompt.Placeholder}: the template must say where the previous layer's answers go.");
        }

        return new MixtureOfAgentsChatClient(
            layers,
            aggregators[0],
            new AggregatePrompt(template),
            settings,
            context.Counters,
            context.LoggerFactory.CreateLogger<MixtureOfAgentsStrategy>());
    }

    private static List<ProposerLayer> Layers(List<ResponseMember> proposers, int layerCount, int quorum)
    {
        var memberships = proposers.Select(p => (Proposer: p, Layers: MemberLayers(p, layerCount))).ToList();
        var layers = new List<ProposerLayer>();
        for (var number = 1; number <= layerCount; number++)
        {
            var inLayer = memberships.Where(m => m.Layers.Contains(number)).Select(m => m.Proposer).ToList();
            if (inLayer.Count < quorum)
            {
                throw new MedleyException(
                    "parameter.invalid",
                    $"Layer {number} has {inLayer.Count} proposer(s), fewer than parameter 'quorum' ({quorum}): give more proposers that layer in their member parameter 'in_layers', or lower 'quorum'.");
            }

            layers.Add(new ProposerLayer(number, inLayer));
        }

        return layers;
    }

    private static HashSet<int> MemberLayers(ResponseMember proposer, int layerCount)
    {
        if (!proposer.Parameters.TryGet("in_layers", out var value))
        {
            return [.. Enumerable.Range(1, layerCount)];
        }

        var expected = $"a list of layer numbers from 1 to {layerCount}, e.g. [1, 2]";
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new MedleyException("parameter.invalid", $"Member '{proposer.Name}': parameter 'in_layers' is {value.GetRawText()}: expected {expected}.");
        }

        var layers = new HashSet<int>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var number) || number < 1 || number > layerCount)
            {
                throw new MedleyException("parameter.invalid", $"Member '{proposer.Name}': parameter 'in_layers' holds {item.GetRawText()}: expected {expected}.");
            }

            layers.Add(number);
        }

        return layers;
    }

    private static int AtLeastOne(StrategyParameters parameters, string name, int defaultValue)
    {
        var value = parameters.GetInt32(name, defaultValue);
        return value >= 1
            ? value
            : throw new MedleyException("parameter.invalid", $"Parameter '{name}' is {value}: expected an integer of at least 1.");
    }
}
