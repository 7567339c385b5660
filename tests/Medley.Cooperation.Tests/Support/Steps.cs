using Medley.Sdk;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medley.Cooperation.Tests.Support;

/// <summary>Starting a combiner and feeding it one step, as the host's loop would.</summary>
public static class Steps
{
    public static DecodingMember Member(string role, string name, ICausalLanguageModel model) =>
        new(role, name, model, StrategyParameters.Empty);

    public static DecodingMember Synthetic(string role, int vocabularySize = 4) =>
        Member(role, role + "-model", new LogitsOnlyModel(role + "-model", vocabularySize));

    public static IStepCombination Begin(
        IStepCombiner combiner, IReadOnlyList<DecodingMember> members, string parametersJson, StrategyCounters? counters = null, ILogger? logger = null) =>
        combiner.BeginAsync(
            new StepCombinerContext(members, [1, 2, 3], StrategyParameters.FromJson(parametersJson), counters ?? new StrategyCounters(), logger ?? NullLogger.Instance),
            CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>One step with the members' logits in member order.</summary>
    public static float[] Combine(IStepCombination combination, params float[][] memberLogits)
    {
        var scores = new float[memberLogits[0].Length];
        combination.Combine(new StepInput(0, [], memberLogits.Select(l => (ReadOnlyMemory<float>)l).ToArray()), scores);
        return scores;
    }

    /// <summary>The sampler's greedy rule: the first largest score, skipping −∞ and NaN.</summary>
    public static int ArgMax(IReadOnlyList<float> scores)
    {
        var best = -1;
        for (var i = 0; i < scores.Count; i++)
        {
            if (!float.IsNaN(scores[i]) && !float.IsNegativeInfinity(scores[i]) && (best < 0 || scores[i] > scores[best]))
            {
                best = i;
            }
        }

        return best;
    }

    public static float[] Ln(params double[] probabilities) => probabilities.Select(p => (float)Math.Log(p)).ToArray();
}
