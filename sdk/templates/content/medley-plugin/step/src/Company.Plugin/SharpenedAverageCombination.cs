using Medley.Sdk.Decoding;

namespace Company.Plugin;

/// <summary>One generation's combination: the members' softmax probabilities averaged, then sharpened.</summary>
internal sealed class SharpenedAverageCombination(double temperature) : IStepCombination
{
    private double[] _mean = [];

    public void Combine(StepInput input, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_mean.Length != scores.Length)
        {
            _mean = new double[scores.Length];
        }

        Array.Clear(_mean);
        var members = input.MemberLogits;
        foreach (var memberLogits in members)
        {
            var logits = memberLogits.Span;
            if (logits.Length != scores.Length)
            {
                throw new ArgumentException($"A member gave {logits.Length} logits for {scores.Length} scores: members must share a vocabulary.", nameof(input));
            }

            // Subtracting the maximum keeps exp from overflowing; it cancels in the normalisation.
            var max = double.NegativeInfinity;
            foreach (var logit in logits)
            {
                max = Math.Max(max, logit);
            }

            var sum = 0.0;
            foreach (var logit in logits)
            {
                sum += Math.Exp(logit - max);
            }

            for (var v = 0; v < logits.Length; v++)
            {
                _mean[v] += Math.Exp(logits[v] - max) / sum / members.Count;
            }
        }

        for (var v = 0; v < scores.Length; v++)
        {
            scores[v] = (float)(Math.Log(_mean[v]) / temperature);
        }
    }

    public void Dispose()
    {
        // Only managed buffers are held.
    }
}
