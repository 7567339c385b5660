using Medley.Sdk.Decoding;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medley.Sdk.Testing;

/// <summary>Checks an <see cref="IStepCombiner"/> the way the host's token loop calls it.</summary>
public static class StepCombinerConformance
{
    private const string Prompt = "12+34=";

    /// <summary>
    /// Combines random member logits over a shared vocabulary for several steps and checks: every score written; the
    /// scores form a distribution once normalised (no NaN, no +∞, at least one finite score — scores are log-probabilities
    /// up to a constant, so their softmax sums to 1); member logits and the generated history are left untouched; a fresh
    /// combination on the same input gives the same scores; an already cancelled token makes
    /// <see cref="IStepCombiner.BeginAsync"/> throw <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <param name="combiner">The combiner under test.</param>
    /// <param name="options">Roles and parameters; defaults when <see langword="null"/>.</param>
    /// <returns>A task that completes when the check passes.</returns>
    /// <exception cref="ConformanceException">Listing every broken rule.</exception>
    public static async Task CheckAsync(IStepCombiner combiner, StepConformanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(combiner);
        options ??= new StepConformanceOptions();
        var subject = $"step combiner {combiner.GetType().FullName}";
        var violations = new ViolationList();
        var members = ConformanceMembers.Create(options.MemberRoles);
        var vocabulary = ConformanceTokenizer.Instance.VocabularySize;
        var steps = Enumerable.Range(0, options.Steps)
            .Select(step => members.Select((_, m) => RandomLogits(options.Seed, step, m, vocabulary)).ToArray())
            .ToList();
        StepCombinerContext NewContext() => new(
            members,
            ConformanceTokenizer.Instance.Encode(Prompt, addSpecialTokens: true),
            options.Parameters,
            new StrategyCounters(),
            NullLogger.Instance);

        await CancellationProbe.CheckAsync(
                "BeginAsync",
                async token => (await combiner.BeginAsync(NewContext(), token).ConfigureAwait(false)).Dispose(),
                options.CancellationBound,
                violations)
            .ConfigureAwait(false);

        var first = await RunAsync(combiner, NewContext(), steps, violations).ConfigureAwait(false);
        var second = await RunAsync(combiner, NewContext(), steps, violations).ConfigureAwait(false);
        if (first is not null && second is not null)
        {
            for (var step = 0; step < first.Count; step++)
            {
                if (!first[step].AsSpan().SequenceEqual(second[step]))
                {
                    violations.Add($"two combinations given the same members, parameters and logits scored step {step} differently; a combiner must be deterministic.");
                    break;
                }
            }
        }

        violations.ThrowIfAny(subject);
    }

    private static async Task<List<float[]>?> RunAsync(IStepCombiner combiner, StepCombinerContext context, List<float[][]> steps, ViolationList violations)
    {
        IStepCombination combination;
        try
        {
            combination = await combiner.BeginAsync(context, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            violations.Add($"BeginAsync threw {ex.GetType().Name} for members [{string.Join(", ", context.Members.Select(m => m.Role))}]: {ex.Message}");
            return null;
        }

        var results = new List<float[]>();
        var generated = new List<int>();
        var prompt = context.PromptTokens.ToArray();
        var members = context.Members.ToArray();
        using (combination)
        {
            for (var step = 0; step < steps.Count; step++)
            {
                var logits = steps[step];
                var copies = logits.Select(l => (float[])l.Clone()).ToArray();
                var history = generated.ToArray();
                var scores = new float[logits[0].Length];
                Array.Fill(scores, float.NaN);
                try
                {
                    combination.Combine(new StepInput(step, history, logits.Select(l => (ReadOnlyMemory<float>)l).ToArray()), scores);
                }
                catch (Exception ex)
                {
                    violations.Add($"Combine threw {ex.GetType().Name} at step {step}: {ex.Message}");
                    return null;
                }

                CheckScores(step, scores, violations);
                if (logits.Where((l, m) => !l.AsSpan().SequenceEqual(copies[m])).Any())
                {
                    violations.Add($"Combine changed a member's logits at step {step}; inputs are read-only.");
                }

                if (!history.AsSpan().SequenceEqual(generated.ToArray()))
                {
                    violations.Add($"Combine changed the generated history at step {step}; inputs are read-only.");
                }

                results.Add(scores);
                var next = LogProbabilities.ArgMax(scores);
                generated.Add(next < 0 ? 0 : next);
            }
        }

        if (!context.PromptTokens.SequenceEqual(prompt) || !context.Members.SequenceEqual(members))
        {
            violations.Add("the combiner changed the context's prompt tokens or member list; they belong to the host.");
        }

        return results;
    }

    private static void CheckScores(int step, float[] scores, ViolationList violations)
    {
        var nan = Array.FindIndex(scores, float.IsNaN);
        if (nan >= 0)
        {
            violations.Add($"Combine left score {nan} NaN at step {step} (unwritten or computed as NaN); every score must be a number or −∞.");
        }

        var positive = Array.FindIndex(scores, float.IsPositiveInfinity);
        if (positive >= 0)
        {
            violations.Add($"Combine wrote +∞ at score {positive} at step {step}; scores are log-probabilities up to a constant, so they cannot be normalised with +∞.");
        }

        if (nan >= 0 || positive >= 0)
        {
            return;
        }

        if (Array.TrueForAll(scores, float.IsNegativeInfinity))
        {
            violations.Add($"Combine ruled out every token at step {step} (all scores −∞); the scores must leave at least one token.");
            return;
        }

        // The host normalises with softmax; in double precision it must sum to 1 whenever the scores are usable.
        var max = scores.Max();
        var sum = scores.Sum(s => Math.Exp((double)s - max));
        var total = scores.Sum(s => Math.Exp((double)s - max) / sum);
        if (Math.Abs(total - 1) > 1e-4)
        {
            violations.Add($"the scores of step {step} do not normalise to a distribution (softmax sums to {total}).");
        }
    }

    private static float[] RandomLogits(ulong seed, int step, int member, int vocabulary)
    {
        var random = new DeterministicRandom(DeterministicRandom.Derive(DeterministicRandom.Derive(seed, step), member));
        var logits = new float[vocabulary];
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = (random.NextSingle() * 8) - 4;
        }

        return logits;
    }
}
