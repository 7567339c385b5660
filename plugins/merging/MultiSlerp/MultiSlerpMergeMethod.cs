using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Merging.MultiSlerp;

/// <summary>
/// mergekit's <c>multislerp</c>: barycentric interpolation of any number of weighted models on a hypersphere,
/// optionally of their task vectors relative to a base model.
/// </summary>
/// <remarks>
/// <para>
/// With inputs <c>xᵢ</c> (task vectors <c>xᵢ − base</c> when a base is given) and weights <c>wᵢ</c>
/// (divided by their sum when <c>normalize_weights</c>): <c>uᵢ = xᵢ / (‖xᵢ‖ + eps)</c>,
/// <c>m = normalize(Σ wᵢ uᵢ)</c>, <c>vᵢ = uᵢ − (uᵢ·m) m</c>, <c>T = Σ wᵢ vᵢ</c>,
/// <c>out = [m cos τ + T sin τ / τ] · Σ wᵢ ‖xᵢ‖ (+ base)</c> with <c>τ = ‖T‖ + eps</c> as in mergekit.
/// </para>
/// <para>
/// Because <c>m</c> is the normalized weighted mean of the <c>uᵢ</c>, <c>T</c> vanishes exactly in exact
/// arithmetic; Medley still evaluates it (as mergekit does) so that results agree to rounding. Every vector
/// involved lies in the span of the inputs, so the method works on their Gram matrix (double precision)
/// and reads each input twice instead of materializing unit vectors.
/// </para>
/// <para>
/// A single model is returned unchanged. When <c>‖Σ wᵢ uᵢ‖ &lt; eps</c> (e.g. antipodal inputs with equal
/// weights) two models fall back to <c>w₁x₁ + w₂x₂ (+ base)</c> and more models are an error
/// (<c>merge.multislerp.degenerate</c>), as in mergekit.
/// </para>
/// </remarks>
[MedleyStrategy("multislerp")]
public sealed class MultiSlerpMergeMethod : IMergeMethod
{
    /// <inheritdoc />
    public MergeMethodTraits Traits { get; } = new()
    {
        BaseModel = BaseModelUse.Optional,
        MinModels = 1,
        PerModelParameters = ["weight"],
    };

    /// <inheritdoc />
    public IReadOnlyList<string> ValidateParameters(StrategyParameters globalParameters, IReadOnlyList<StrategyParameters> modelParameters)
    {
        ArgumentNullException.ThrowIfNull(globalParameters);
        ArgumentNullException.ThrowIfNull(modelParameters);
        var problems = new List<string>();
        var sum = 0.0;
        for (var i = 0; i < modelParameters.Count; i++)
        {
            if (!modelParameters[i].Contains("weight"))
            {
                problems.Add($"multislerp needs the per-model parameter 'weight' for model #{i + 1}.");
                continue;
            }

            sum += modelParameters[i].GetDouble("weight", 0);
        }

        if (problems.Count == 0 && modelParameters.Count > 1 && globalParameters.GetBoolean("normalize_weights", true) && sum == 0)
        {
            problems.Add("multislerp with normalize_weights divides the weights by their sum, but the models' 'weight' values sum to 0.");
        }

        return problems;
    }

    /// <inheritdoc />
    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var models = context.Models;
        var output = context.Output.Span;
        if (models.Count == 1)
        {
            models[0].Data.Span.CopyTo(output);
            return;
        }

        var n = models.Count;
        var eps = context.Parameters.GetDouble("eps", 1e-8);
        var weights = new double[n];
        for (var i = 0; i < n; i++)
        {
            weights[i] = models[i].Parameters.GetRequiredDouble("weight");
        }

        if (context.Parameters.GetBoolean("normalize_weights", true))
        {
            var sum = weights.Sum();
            for (var i = 0; i < n; i++)
            {
                weights[i] /= sum;
            }
        }

        var gram = Gram(context, cancellationToken);
        var norms = new double[n];
        for (var i = 0; i < n; i++)
        {
            norms[i] = Math.Sqrt(gram[i, i]);
        }

        // mean = Σ cᵢ xᵢ with cᵢ = wᵢ / (‖xᵢ‖ + eps).
        var meanCoefficients = new double[n];
        for (var i = 0; i < n; i++)
        {
            meanCoefficients[i] = weights[i] / (norms[i] + eps);
        }

        var meanNorm = Math.Sqrt(Math.Max(QuadraticForm(gram, meanCoefficients), 0));
        double[] resultCoefficients;
        if (meanNorm < eps)
        {
            if (n != 2)
            {
                throw new MedleyException(
                    "merge.multislerp.degenerate",
                    $"multislerp cannot merge tensor '{context.TensorName}': the weighted sum of the normalized inputs is zero (antipodal inputs whose weights cancel). Change the models' 'weight' values.");
            }

            resultCoefficients = [weights[0], weights[1]];
        }
        else
        {
            // m = Σ μⱼ xⱼ; dᵢ = uᵢ·m; T = Σ aⱼ xⱼ with aⱼ = wⱼ/(‖xⱼ‖+eps) − (Σ wᵢ dᵢ) μⱼ.
            var unitMean = meanCoefficients.Select(c => c / meanNorm).ToArray();
            var projectedWeight = 0.0;
            for (var i = 0; i < n; i++)
            {
                var dot = 0.0;
                for (var j = 0; j < n; j++)
                {
                    dot += unitMean[j] * gram[i, j];
                }

                projectedWeight += weights[i] * dot / (norms[i] + eps);
            }

            var tangent = new double[n];
            for (var j = 0; j < n; j++)
            {
                tangent[j] = meanCoefficients[j] - (projectedWeight * unitMean[j]);
            }

            var tau = Math.Sqrt(Math.Max(QuadraticForm(gram, tangent), 0)) + eps;
            var averageNorm = 0.0;
            for (var i = 0; i < n; i++)
            {
                averageNorm += norms[i] * weights[i];
            }

            resultCoefficients = new double[n];
            for (var j = 0; j < n; j++)
            {
                resultCoefficients[j] = ((unitMean[j] * Math.Cos(tau)) + (tangent[j] * Math.Sin(tau) / tau)) * averageNorm;
            }
        }

        WriteCombination(context, resultCoefficients, cancellationToken);
    }

    private static double QuadraticForm(double[,] gram, double[] coefficients)
    {
        var total = 0.0;
        for (var i = 0; i < coefficients.Length; i++)
        {
            for (var j = 0; j < coefficients.Length; j++)
            {
                total += coefficients[i] * coefficients[j] * gram[i, j];
            }
        }

        return total;
    }

    private static double[,] Gram(MergeTensorContext context, CancellationToken cancellationToken)
    {
        var n = context.Models.Count;
        var gram = new double[n, n];
        var baseValues = context.BaseModel is null ? default : context.BaseModel.Data.Span;
        var hasBase = context.BaseModel is not null;
        Span<double> values = n <= 64 ? stackalloc double[n] : new double[n];
        for (var k = 0; k < context.ElementCount; k++)
        {
            if ((k & 0xFFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            double origin = hasBase ? baseValues[k] : 0.0;
            for (var i = 0; i < n; i++)
            {
                values[i] = context.Models[i].Data.Span[k] - origin;
            }

            for (var i = 0; i < n; i++)
            {
                for (var j = i; j < n; j++)
                {
                    gram[i, j] += values[i] * values[j];
                }
            }
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                gram[i, j] = gram[j, i];
            }
        }

        return gram;
    }

    private static void WriteCombination(MergeTensorContext context, double[] coefficients, CancellationToken cancellationToken)
    {
        var output = context.Output.Span;
        var hasBase = context.BaseModel is not null;
        var baseValues = hasBase ? context.BaseModel!.Data.Span : default;
        for (var k = 0; k < output.Length; k++)
        {
            if ((k & 0xFFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            double origin = hasBase ? baseValues[k] : 0.0;
            var value = origin;
            for (var j = 0; j < coefficients.Length; j++)
            {
                value += coefficients[j] * (context.Models[j].Data.Span[k] - origin);
            }

            output[k] = (float)value;
        }
    }
}
