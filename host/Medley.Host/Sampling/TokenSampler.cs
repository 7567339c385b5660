using System.Buffers;
using System.Security.Cryptography;
using Medley.Sdk;
using Medley.Sdk.Decoding;

namespace Medley.Host.Sampling;

/// <summary>
/// The host's sampler: repetition penalty, temperature, top-k, top-p and min-p in the order Hugging Face
/// applies them, then an inverse-CDF draw from a <see cref="DeterministicRandom"/> stream. All arithmetic is
/// sequential double precision, so a seed gives bit-identical choices on every machine.
/// </summary>
public sealed class TokenSampler : ITokenSampler
{
    // Cumulative sums of doubles that should reach p exactly (0.1 + 0.2 ...) may fall short by rounding;
    // this slack keeps such prefixes from dragging in one more token.
    private const double CumulativeTolerance = 1e-12;

    private readonly DeterministicRandom _random;

    /// <summary>Creates a sampler for one request.</summary>
    /// <param name="options">The request's options; <see cref="SamplingOptions.Seed"/> fixes the stream.</param>
    public TokenSampler(SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        Options = options;
        Seed = options.Seed ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(sizeof(ulong)));
        _random = new DeterministicRandom(Seed);
    }

    /// <inheritdoc />
    public SamplingOptions Options { get; }

    /// <summary>The seed in use: the options' seed, or the one drawn when they gave none (log it to replay a run).</summary>
    public ulong Seed { get; }

    /// <inheritdoc />
    public void ComputeDistribution(ReadOnlySpan<float> scores, IReadOnlyList<int> history, Span<float> probabilities)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (probabilities.Length != scores.Length)
        {
            throw new ArgumentException(
                $"probabilities has {probabilities.Length} entries but scores has {scores.Length}.",
                nameof(probabilities));
        }

        var count = scores.Length;
        var logits = ArrayPool<double>.Shared.Rent(count);
        var pool = ArrayPool<Candidate>.Shared.Rent(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                logits[i] = scores[i];
            }

            ApplyRepetitionPenalty(logits.AsSpan(0, count), history, Options.RepetitionPenalty);
            var best = ArgMax(logits.AsSpan(0, count));
            if (best < 0)
            {
                throw new MedleyException(
                    SamplingErrorCodes.NoCandidates,
                    $"Every one of the {count} token scores is -infinity or NaN, so no token can be chosen.",
                    MedleyErrorKind.Failure);
            }

            probabilities.Clear();
            if (Options.IsGreedy)
            {
                probabilities[best] = 1f;
                return;
            }

            var weights = logits.AsSpan(0, count);
            Softmax(weights, Options.Temperature, weights[best]);
            var kept = Gather(weights, pool);
            kept = KeepTopK(kept, Options.TopK);
            kept = KeepTopP(kept, Options.TopP, sorted: Options.TopK > 0 && Options.TopK < count);
            kept = KeepMinP(kept, Options.MinP);

            var total = 0.0;
            foreach (var candidate in kept)
            {
                total += candidate.Weight;
            }

            foreach (var candidate in kept)
            {
                probabilities[candidate.Id] = (float)(candidate.Weight / total);
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(logits);
            ArrayPool<Candidate>.Shared.Return(pool);
        }
    }

    /// <inheritdoc />
    public int Sample(ReadOnlySpan<float> probabilities)
    {
        var total = 0.0;
        var last = -1;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = probabilities[i];
            if (p < 0 || !float.IsFinite(p))
            {
                throw new ArgumentException($"probabilities[{i}] is {p}; weights must be finite and non-negative.", nameof(probabilities));
            }

            if (p > 0)
            {
                total += p;
                last = i;
            }
        }

        if (last < 0)
        {
            throw new MedleyException(
                SamplingErrorCodes.NoCandidates,
                $"All {probabilities.Length} token probabilities are zero, so no token can be drawn.",
                MedleyErrorKind.Failure);
        }

        // One uniform draw per token keeps the stream position independent of the distribution's shape.
        var target = _random.NextDouble() * total;
        var cumulative = 0.0;
        for (var i = 0; i <= last; i++)
        {
            var p = probabilities[i];
            if (p <= 0)
            {
                continue;
            }

            cumulative += p;
            if (target < cumulative)
            {
                return i;
            }
        }

        return last;
    }

    /// <inheritdoc />
    public int Next(ReadOnlySpan<float> scores, IReadOnlyList<int> history)
    {
        var buffer = ArrayPool<float>.Shared.Rent(scores.Length);
        try
        {
            var probabilities = buffer.AsSpan(0, scores.Length);
            ComputeDistribution(scores, history, probabilities);
            return Sample(probabilities);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public double NextUniform() => _random.NextDouble();

    private static void Validate(SamplingOptions options)
    {
        var problems = new List<string>();
        if (!double.IsFinite(options.Temperature) || options.Temperature < 0)
        {
            problems.Add($"temperature is {options.Temperature}; expected a finite number >= 0 (0 = greedy).");
        }

        if (options.TopK < 0)
        {
            problems.Add($"top_k is {options.TopK}; expected >= 0 (0 = off).");
        }

        if (!(options.TopP > 0 && options.TopP <= 1))
        {
            problems.Add($"top_p is {options.TopP}; expected a number in (0, 1] (1 = off).");
        }

        if (!(options.MinP >= 0 && options.MinP <= 1))
        {
            problems.Add($"min_p is {options.MinP}; expected a number in [0, 1] (0 = off).");
        }

        if (!double.IsFinite(options.RepetitionPenalty) || options.RepetitionPenalty <= 0)
        {
            problems.Add($"repetition_penalty is {options.RepetitionPenalty}; expected a finite number > 0 (1 = off).");
        }

        if (problems.Count > 0)
        {
            throw new MedleyException(
                SamplingErrorCodes.OptionsInvalid,
                "Invalid sampling options: " + string.Join(" ", problems),
                MedleyErrorKind.InvalidInput,
                problems);
        }
    }

    private static void ApplyRepetitionPenalty(Span<double> logits, IReadOnlyList<int> history, double penalty)
    {
        if (penalty == 1.0 || history.Count == 0)
        {
            return;
        }

        // A token repeated in the history is penalised once, as in Hugging Face's gather/scatter.
        var seen = new HashSet<int>();
        foreach (var id in history)
        {
            if ((uint)id < (uint)logits.Length && seen.Add(id))
            {
                var logit = logits[id];
                logits[id] = logit > 0 ? logit / penalty : logit * penalty;
            }
        }
    }

    private static int ArgMax(ReadOnlySpan<double> logits)
    {
        var best = -1;
        for (var i = 0; i < logits.Length; i++)
        {
            var value = logits[i];
            if (double.IsNaN(value) || double.IsNegativeInfinity(value))
            {
                continue;
            }

            if (best < 0 || value > logits[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static void Softmax(Span<double> logits, double temperature, double maxLogit)
    {
        if (double.IsPositiveInfinity(maxLogit))
        {
            // +infinity logits share all the mass; finite ones get none.
            for (var i = 0; i < logits.Length; i++)
            {
                logits[i] = double.IsPositiveInfinity(logits[i]) ? 1.0 : 0.0;
            }

            return;
        }

        for (var i = 0; i < logits.Length; i++)
        {
            var value = logits[i];
            logits[i] = double.IsNaN(value) ? 0.0 : Math.Exp((value - maxLogit) / temperature);
        }
    }

    /// <summary>Tokens with non-zero weight, in id order.</summary>
    private static Span<Candidate> Gather(ReadOnlySpan<double> weights, Candidate[] pool)
    {
        var count = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] > 0)
            {
                pool[count++] = new Candidate(weights[i], i);
            }
        }

        return pool.AsSpan(0, count);
    }

    /// <summary>The k best, sorted best first; a bounded heap avoids sorting a whole vocabulary.</summary>
    private static Span<Candidate> KeepTopK(Span<Candidate> candidates, int topK)
    {
        if (topK <= 0 || topK >= candidates.Length)
        {
            return candidates;
        }

        var worstFirst = new PriorityQueue<Candidate, Candidate>(topK, WorstFirst.Instance);
        foreach (var candidate in candidates)
        {
            if (worstFirst.Count < topK)
            {
                worstFirst.Enqueue(candidate, candidate);
            }
            else if (BestFirst.Instance.Compare(candidate, worstFirst.Peek()) < 0)
            {
                worstFirst.EnqueueDequeue(candidate, candidate);
            }
        }

        var kept = candidates[..topK];
        for (var n = topK - 1; n >= 0; n--)
        {
            kept[n] = worstFirst.Dequeue();
        }

        return kept;
    }

    private static Span<Candidate> KeepTopP(Span<Candidate> candidates, double topP, bool sorted)
    {
        if (topP >= 1.0)
        {
            return candidates;
        }

        if (!sorted)
        {
            candidates.Sort(BestFirst.Instance);
        }

        var total = 0.0;
        foreach (var candidate in candidates)
        {
            total += candidate.Weight;
        }

        var cumulative = 0.0;
        for (var n = 0; n < candidates.Length; n++)
        {
            cumulative += candidates[n].Weight / total;
            if (cumulative >= topP - CumulativeTolerance)
            {
                return candidates[..(n + 1)];
            }
        }

        return candidates;
    }

    private static Span<Candidate> KeepMinP(Span<Candidate> candidates, double minP)
    {
        if (minP <= 0 || candidates.Length == 0)
        {
            return candidates;
        }

        var max = 0.0;
        foreach (var candidate in candidates)
        {
            max = Math.Max(max, candidate.Weight);
        }

        // Renormalising does not change ratios, so the threshold can use the unnormalised weights.
        var threshold = minP * max;
        var count = 0;
        foreach (var candidate in candidates)
        {
            if (candidate.Weight >= threshold)
            {
                candidates[count++] = candidate;
            }
        }

        return candidates[..count];
    }

    private readonly record struct Candidate(double Weight, int Id);

    /// <summary>Weight descending, then id ascending: the order top-k and top-p cut.</summary>
    private sealed class BestFirst : IComparer<Candidate>
    {
        public static readonly BestFirst Instance = new();

        public int Compare(Candidate x, Candidate y)
        {
            var byWeight = y.Weight.CompareTo(x.Weight);
            return byWeight != 0 ? byWeight : x.Id.CompareTo(y.Id);
        }
    }

    private sealed class WorstFirst : IComparer<Candidate>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare(Candidate x, Candidate y) => BestFirst.Instance.Compare(y, x);
    }
}
