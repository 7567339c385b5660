using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Company.Plugin;

/// <summary>Weighted mean of the models' tensors: <c>out = Σ wᵢ·xᵢ / Σ wᵢ</c>, each model's weight 1 unless given.</summary>
[MedleyStrategy("company-plugin-strategy")]
public sealed class WeightedMeanMergeMethod : IMergeMethod
{
    private const string WeightParameter = "weight";

    /// <inheritdoc />
    public MergeMethodTraits Traits { get; } = new()
    {
        BaseModel = BaseModelUse.None,
        MinModels = 1,
        PerModelParameters = [WeightParameter],
    };

    /// <inheritdoc />
    public IReadOnlyList<string> ValidateParameters(StrategyParameters globalParameters, IReadOnlyList<StrategyParameters> modelParameters)
    {
        ArgumentNullException.ThrowIfNull(modelParameters);
        var weights = modelParameters.Select(p => p.GetDouble(WeightParameter, 1)).ToList();
        var problems = new List<string>();
        if (weights.Any(w => w < 0 || !double.IsFinite(w)))
        {
            problems.Add("Every model's weight must be a finite number of at least 0.");
        }
        else if (weights.Sum() == 0)
        {
            problems.Add("The weights sum to 0, so their mean is undefined: give at least one model a positive weight.");
        }

        return problems;
    }

    /// <inheritdoc />
    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.RequireModelCount("company-plugin-strategy", 1);
        var weights = context.Models.Select(m => m.Parameters.GetDouble(WeightParameter, 1)).ToArray();
        var total = weights.Sum();
        if (total <= 0)
        {
            throw new MedleyException(
                "parameter.invalid",
                $"Tensor '{context.TensorName}': the models' weights sum to {total}; a weighted mean needs a positive total.");
        }

        // Accumulating in double keeps the mean independent of the models' order to float precision.
        var sums = new double[context.ElementCount];
        for (var m = 0; m < context.Models.Count; m++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var values = context.Models[m].Data.Span;
            var share = weights[m] / total;
            for (var i = 0; i < sums.Length; i++)
            {
                sums[i] += share * values[i];
            }
        }

        var output = context.Output.Span;
        for (var i = 0; i < sums.Length; i++)
        {
            output[i] = (float)sums[i];
        }
    }
}
