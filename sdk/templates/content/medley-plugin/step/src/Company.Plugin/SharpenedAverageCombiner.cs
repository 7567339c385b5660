using Medley.Sdk;
using Medley.Sdk.Decoding;

namespace Company.Plugin;

/// <summary>
/// Averages the members' next-token probabilities and sharpens the average with a temperature:
/// <c>score(v) = log(mean_i p_i(v)) / temperature</c>, which the host's sampler turns back into a distribution.
/// </summary>
[MedleyStrategy("company-plugin-strategy")]
public sealed class SharpenedAverageCombiner : IStepCombiner
{
    private const string TemperatureParameter = "temperature";

    /// <inheritdoc />
    public ValueTask<IStepCombination> BeginAsync(StepCombinerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        var temperature = context.Parameters.GetDouble(TemperatureParameter, 1);
        if (!(temperature > 0) || !double.IsFinite(temperature))
        {
            throw new MedleyException(
                "parameter.invalid",
                $"Parameter '{TemperatureParameter}' is {temperature}: expected a finite number above 0.");
        }

        return ValueTask.FromResult<IStepCombination>(new SharpenedAverageCombination(temperature));
    }
}
