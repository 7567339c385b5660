using Medley.Sdk;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;

namespace Medley.Cooperation.Tests.Support;

/// <summary>
/// The simplest host loop: every member appends the prompt, then the combiner scores each step, the greedy
/// token is chosen and every member appends it. Records what the combiner saw and returned.
/// </summary>
public static class GreedyLoop
{
    public sealed record Run(List<int> Tokens, List<float[][]> MemberLogits, List<float[]> Scores);

    public static async Task<Run> CombinedAsync(
        IStepCombiner combiner, IReadOnlyList<DecodingMember> members, string parametersJson, IReadOnlyList<int> prompt, int steps, StrategyCounters? counters = null)
    {
        var sessions = members.Select(m => m.Model.CreateSession()).ToArray();
        try
        {
            var current = new float[sessions.Length][];
            for (var m = 0; m < sessions.Length; m++)
            {
                current[m] = (await sessions[m].AppendAsync(prompt.ToArray())).Last.ToArray();
            }

            using var combination = Steps.Begin(combiner, members, parametersJson, counters);
            var run = new Run([], [], []);
            for (var step = 0; step < steps; step++)
            {
                var scores = new float[current[0].Length];
                combination.Combine(new StepInput(step, run.Tokens, current.Select(l => (ReadOnlyMemory<float>)l).ToArray()), scores);
                var token = Steps.ArgMax(scores);
                run.Tokens.Add(token);
                run.MemberLogits.Add(current);
                run.Scores.Add(scores);
                current = new float[sessions.Length][];
                for (var m = 0; m < sessions.Length; m++)
                {
                    current[m] = (await sessions[m].AppendAsync(new[] { token })).Last.ToArray();
                }
            }

            return run;
        }
        finally
        {
            foreach (var session in sessions)
            {
                session.Dispose();
            }
        }
    }

    public static async Task<List<int>> AloneAsync(ICausalLanguageModel model, IReadOnlyList<int> prompt, int steps)
    {
        using var session = model.CreateSession();
        var logits = (await session.AppendAsync(prompt.ToArray())).Last.ToArray();
        var tokens = new List<int>();
        for (var step = 0; step < steps; step++)
        {
            var token = Steps.ArgMax(logits);
            tokens.Add(token);
            logits = (await session.AppendAsync(new[] { token })).Last.ToArray();
        }

        return tokens;
    }
}
