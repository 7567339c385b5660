using Medley.Sdk.Decoding;

namespace Medley.Ensemble.LogitAverage;

/// <summary>One generation's combination: the members' log-probabilities merged with fixed weights.</summary>
internal sealed class LogitAverageCombination : IStepCombination
{
    private readonly LogitAverageMode _mode;
    private readonly double[] _weights;
    private readonly double[] _logWeights;
    private readonly double[] _normalisers;
    private double[] _accumulator = [];

    public LogitAverageCombination(LogitAverageMode mode, double[] weights)
    {
        _mode = mode;
        _weights = weights;
        _logWeights = weights.Select(w => Math.Log(w)).ToArray();
        _normalisers = new double[weights.Length];
    }

    public void Combine(StepInput input, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(input);
        var rows = input.MemberLogits;
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != scores.Length)
            {
                throw new ArgumentException($"Member {i} gave {rows[i].Length} logits for {scores.Length} scores: members must share a vocabulary.", nameof(input));
            }

            _normalisers[i] = _weights[i] > 0 ? LogSoftmax.LogSumExp(rows[i].Span) : 0;
        }

        if (_mode == LogitAverageMode.Mixture)
        {
            Mixture(rows, scores);
        }
        else
        {
            Product(rows, scores);
        }
    }

    public void Dispose()
    {
        // Nothing is held beyond managed buffers.
    }

    // log Σ wᵢ pᵢ(v) = log Σ exp(log wᵢ + zᵢ(v) − lseᵢ), one log-sum-exp per token over the members.
    private void Mixture(IReadOnlyList<ReadOnlyMemory<float>> rows, Span<float> scores)
    {
        for (var v = 0; v < scores.Length; v++)
        {
            var max = double.NegativeInfinity;
            for (var i = 0; i < rows.Count; i++)
            {
                if (_weights[i] > 0)
                {
                    max = Math.Max(max, _logWeights[i] + rows[i].Span[v] - _normalisers[i]);
                }
            }

            if (double.IsNegativeInfinity(max))
            {
                scores[v] = float.NegativeInfinity;
                continue;
            }

            var sum = 0.0;
            for (var i = 0; i < rows.Count; i++)
            {
                if (_weights[i] > 0)
                {
                    sum += Math.Exp(_logWeights[i] + rows[i].Span[v] - _normalisers[i] - max);
                }
            }

            scores[v] = (float)(max + Math.Log(sum));
        }
    }

    // Σ wᵢ log pᵢ(v), then minus its own log-sum-exp so that the scores are log-probabilities again.
    private void Product(IReadOnlyList<ReadOnlyMemory<float>> rows, Span<float> scores)
    {
        if (_accumulator.Length != scores.Length)
        {
            _accumulator = new double[scores.Length];
        }

        var max = double.NegativeInfinity;
        for (var v = 0; v < scores.Length; v++)
        {
            var total = 0.0;
            for (var i = 0; i < rows.Count; i++)
            {
                if (_weights[i] > 0)
                {
                    total += _weights[i] * (rows[i].Span[v] - _normalisers[i]);
                }
            }

            _accumulator[v] = total;
            max = Math.Max(max, total);
        }

        var sum = 0.0;
        foreach (var total in _accumulator)
        {
            sum += Math.Exp(total - max);
        }

        var normaliser = max + Math.Log(sum);
        for (var v = 0; v < scores.Length; v++)
        {
            scores[v] = (float)(_accumulator[v] - normaliser);
        }
    }
}
