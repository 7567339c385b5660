using Medley.Sdk.Decoding;

namespace Medley.Conformance.Tests.Broken;

/// <summary>Sums the members' logits but marks one token +∞ "to force it", which no sampler can normalise.</summary>
public sealed class UnnormalisableStepCombiner : IStepCombiner
{
    public ValueTask<IStepCombination> BeginAsync(StepCombinerContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IStepCombination>(new Combination());
    }

    private sealed class Combination : IStepCombination
    {
        public void Combine(StepInput input, Span<float> scores)
        {
            scores.Clear();
            foreach (var logits in input.MemberLogits)
            {
                var values = logits.Span;
                for (var i = 0; i < scores.Length; i++)
                {
                    scores[i] += values[i];
                }
            }

            scores[5] = float.PositiveInfinity;
        }

        public void Dispose()
        {
        }
    }
}
