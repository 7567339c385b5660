using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Merging.Karcher;

/// <summary>
/// mergekit's <c>karcher</c>: the Riemannian (Karcher) mean of the inputs' directions on the unit sphere,
/// scaled by their mean norm.
/// </summary>
/// <remarks>
/// <para>
/// Every input is weighted <c>αᵢ = 1/N</c>: mergekit's <c>karcher</c> takes no per-model weight, so neither
/// does Medley. The method has no notion of a base; a base named in the config is merged as an ordinary input.
/// A single input is returned unchanged.
/// </para>
/// <para>
/// As in mergekit: inputs whose norm is at most <c>tol</c> are left out of the direction (their α is
/// renormalized over the others); the start is the normalized weighted mean of the unit vectors (the first
/// unit vector if that mean is shorter than <c>tol</c>); each of at most <c>max_iter</c> steps sums the log
/// maps <c>αᵢ θᵢ/sin θᵢ (uᵢ − cos θᵢ · u)</c> (skipping <c>θᵢ &lt; tol</c>), stops when that tangent is shorter
/// than <c>tol</c>, and otherwise moves along the exponential map and renormalizes. The output is
/// <c>(Σ αᵢ ‖xᵢ‖) · u</c> over all inputs; if every input is (nearly) zero the output is zero.
/// </para>
/// <para>
/// The mean always lies in the span of the inputs, so Medley iterates on coefficients over the inputs using
/// their Gram matrix in double precision: the tensors are read twice however many iterations run.
/// </para>
/// </remarks>
[MedleyStrategy("karcher")]
public sealed class KarcherMergeMethod : IMergeMethod
{
    /// <inheritdoc />
    public MergeMethodTraits Traits { get; } = new()
    {
        BaseModel = BaseModelUse.None,
        MinModels = 1,
    };

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

        var maxIterations = context.Parameters.GetInt32("max_iter", 10);
        var tolerance = context.Parameters.GetDouble("tol", 1e-5);
        var n = models.Count;
        var gram = Gram(models, cancellationToken);
        var norms = new double[n];
        for (var i = 0; i < n; i++)
        {
            norms[i] = Math.Sqrt(gram[i, i]);
        }

        var valid = Enumerable.Range(0, n).Where(i => norms[i] > tolerance).ToArray();
        if (valid.Length == 0)
        {
            output.Clear();
            return;
        }

        // Equal α = 1/N renormalized over the valid inputs is 1/|valid| each.
        var alpha = 1.0 / valid.Length;

        // u = Σ βⱼ xⱼ throughout.
        var beta = new double[n];
        foreach (var i in valid)
        {
            beta[i] = alpha / norms[i];
        }

        var startNorm = Norm(gram, beta);
        if (startNorm < tolerance)
        {
            Array.Clear(beta);
            beta[valid[0]] = 1.0 / norms[valid[0]];
        }
        else
        {
            Scale(beta, 1.0 / startNorm);
        }

        var tangent = new double[n];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Array.Clear(tangent);
            foreach (var i in valid)
            {
                var dot = 0.0;
                for (var j = 0; j < n; j++)
                {
                    dot += beta[j] * gram[j, i];
                }

                dot = Math.Clamp(dot / norms[i], -1.0, 1.0);
                var theta = Math.Acos(dot);
                if (theta < tolerance)
                {
                    continue;
                }

                var factor = alpha * theta / Math.Sin(theta);
                tangent[i] += factor / norms[i];
                for (var j = 0; j < n; j++)
                {
                    tangent[j] -= factor * dot * beta[j];
                }
            }

            var tangentNorm = Norm(gram, tangent);
            if (tangentNorm < tolerance)
            {
                break;
            }

            var cos = Math.Cos(tangentNorm);
            var sinOverNorm = Math.Sin(tangentNorm) / tangentNorm;
            for (var j = 0; j < n; j++)
            {
                beta[j] = (cos * beta[j]) + (sinOverNorm * tangent[j]);
            }

            var unitNorm = Norm(gram, beta);
            if (unitNorm > tolerance)
            {
                Scale(beta, 1.0 / unitNorm);
            }
        }

        var scale = norms.Sum() / n;
        for (var k = 0; k < output.Length; k++)
        {
            var value = 0.0;
            for (var j = 0; j < n; j++)
            {
                value += beta[j] * models[j].Data.Span[k];
            }

            output[k] = (float)(scale * value);
        }
    }

    private static void Scale(double[] values, double factor)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] *= factor;
        }
    }

    private static double Norm(double[,] gram, double[] coefficients)
    {
        var total = 0.0;
        for (var i = 0; i < coefficients.Length; i++)
        {
            for (var j = 0; j < coefficients.Length; j++)
            {
                total += coefficients[i] * coefficients[j] * gram[i, j];
            }
        }

        return Math.Sqrt(Math.Max(total, 0));
    }

    private static double[,] Gram(IReadOnlyList<MergeInput> models, CancellationToken cancellationToken)
    {
        var n = models.Count;
        var gram = new double[n, n];
        var length = models[0].Data.Length;
        Span<double> values = n <= 64 ? stackalloc double[n] : new double[n];
        for (var k = 0; k < length; k++)
        {
            if ((k & 0xFFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            for (var i = 0; i < n; i++)
            {
                values[i] = models[i].Data.Span[k];
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
}
