using Medley.Sdk;
using Medley.Sdk.Decoding;

namespace Medley.TestPlugins.Alpha;

/// <summary>A test step combiner: the mean of the members' logits.</summary>
[MedleyStrategy("alpha_mean")]
public sealed class AlphaMean : IStepCombiner
{
    public ValueTask<IStepCombination> BeginAsync(StepCombinerContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IStepCombination>(new Combination());

    private sealed class Combination : IStepCombination
    {
        public void Combine(StepInput input, Span<float> scores)
        {
            scores.Clear();
            foreach (var logits in input.MemberLogits)
            {
                var row = logits.Span;
                for (var i = 0; i < scores.Length; i++)
                {
                    scores[i] += row[i] / input.MemberLogits.Count;
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
