using System.Numerics.Tensors;
using Medley.Sdk.Decoding;

namespace Medley.Ensemble.LogitAverage;

/// <summary>One generation's combination: the members' log-probabilities merged with fixed weights.</summary>
/// <remarks>
/// Vectorised in single precision: it runs over the whole vocabulary at every step, and the host's loop must stay a
/// small share of the members' forward time. Members' logits are finite (the host masks ids only afterwards).
/// </remarks>
internal sealed class LogitAverageCombination : IStepCombination
{
    private readonly LogitAverageMode _mode;
    private readonly double[] _weights;
    private readonly int[] _active;
    private float[] _scratch = [];
    private float[] _terms = [];

    public LogitAverageCombination(LogitAverageMode mode, double[] weights)
    {
        _mode = mode;
        _weights = weights;
        // Members with weight 0 contribute nothing (and 0 · log 0 would be NaN): they are skipped.
        _active = Enumerable.Range(0, weights.Length).Where(i => weights[i] > 0).ToArray();
    }

    public void Combine(StepInput input, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(input);
        var rows = input.MemberLogits;
        foreach (var row in rows)
        {
            if (row.Length != scores.Length)
            {
                throw new ArgumentException($"A member gave {row.Length} logits for {scores.Length} scores: members must share a vocabulary.", nameof(input));
            }
        }

        if (_scratch.Length != scores.Length)
        {
            _scratch = new float[scores.Length];
            _terms = new float[scores.Length];
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

    // log Σ wᵢ pᵢ(v) = log Σ exp(aᵢ(v)) with aᵢ = zᵢ + log wᵢ − lseᵢ, shifted by the per-token maximum over members.
    private void Mixture(IReadOnlyList<ReadOnlyMemory<float>> rows, Span<float> scores)
    {
        var shifts = new float[_active.Length];
        for (var k = 0; k < _active.Length; k++)
        {
            var i = _active[k];
            shifts[k] = (float)(Math.Log(_weights[i]) - LogSoftmax.LogSumExp(rows[i].Span, _scratch));
        }

        // scores holds the running maximum m(v) of the aᵢ(v).
        TensorPrimitives.Add(rows[_active[0]].Span, shifts[0], scores);
        if (_active.Length == 1)
        {
            return;
        }

        for (var k = 1; k < _active.Length; k++)
        {
            TensorPrimitives.Add(rows[_active[k]].Span, shifts[k], _terms);
            TensorPrimitives.Max(scores, _terms, scores);
        }

        var sum = _scratch.AsSpan(0, scores.Length);
        sum.Clear();
        for (var k = 0; k < _active.Length; k++)
        {
            TensorPrimitives.Add(rows[_active[k]].Span, shifts[k], _terms);
            TensorPrimitives.Subtract(_terms, scores, _terms);
            TensorPrimitives.Exp(_terms, _terms);
            TensorPrimitives.Add(sum, _terms, sum);
        }

        TensorPrimitives.Log(sum, sum);
        TensorPrimitives.Add(scores, sum, scores);
    }

    // Σ wᵢ log pᵢ(v) renormalised. Each log pᵢ is zᵢ less a constant, and constants vanish in the renormalisation,
    // so Σ wᵢ zᵢ minus its own log-sum-exp is the same distribution without a log-sum-exp per member.
    private void Product(IReadOnlyList<ReadOnlyMemory<float>> rows, Span<float> scores)
    {
        scores.Clear();
        foreach (var i in _active)
        {
            TensorPrimitives.MultiplyAdd(rows[i].Span, (float)_weights[i], scores, scores);
        }

        var normaliser = (float)LogSoftmax.LogSumExp(scores, _scratch);
        TensorPrimitives.Subtract(scores, normaliser, scores);
    }
}
