using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Merging.ModelStock;

/// <summary>
/// mergekit's <c>model_stock</c> (Jang et al., 2024): moves from the base toward the average of the fine-tunes
/// by a ratio set by how well their task vectors agree.
/// </summary>
/// <remarks>
/// <para>
/// <c>cos θ</c> is the mean over all pairs of fine-tunes of the cosine between their offsets <c>xᵢ − base</c>
/// (each clamped to [−1, 1], denominator clamped to at least 1e-6); <c>t = N cos θ / (1 + (N−1) cos θ)</c>
/// and <c>out = t · mean(xᵢ) + (1 − t) · base</c>.
/// </para>
/// <para>
/// By default each tensor is one flat vector. With <c>filter_wise</c> every row (last dimension) gets its own
/// <c>t</c>; a one-dimensional tensor is a single row. As in mergekit, <c>t</c> is not clamped: when
/// <c>cos θ = −1/(N−1)</c> it is infinite. Sums are accumulated in double precision.
/// </para>
/// </remarks>
[MedleyStrategy("model_stock")]
public sealed class ModelStockMergeMethod : IMergeMethod
{
    /// <inheritdoc />
    public MergeMethodTraits Traits { get; } = new()
    {
        BaseModel = BaseModelUse.Required,
        MinModels = 2,
    };

    /// <inheritdoc />
    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var baseInput = context.RequireBaseModel("model_stock");
        context.RequireModelCount("model_stock", 2);
        var models = context.Models;
        var n = models.Count;
        var count = context.ElementCount;
        if (count == 0)
        {
            return;
        }

        var rowLength = context.Parameters.GetBoolean("filter_wise", false) ? context.RowLength : count;
        var baseValues = baseInput.Data.Span;
        var output = context.Output.Span;
        var gram = new double[n, n];
        Span<double> offsets = n <= 64 ? stackalloc double[n] : new double[n];
        for (var start = 0; start < count; start += rowLength)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Array.Clear(gram);
            for (var k = start; k < start + rowLength; k++)
            {
                double origin = baseValues[k];
                for (var i = 0; i < n; i++)
                {
                    offsets[i] = models[i].Data.Span[k] - origin;
                }

                for (var i = 0; i < n; i++)
                {
                    for (var j = i; j < n; j++)
                    {
                        gram[i, j] += offsets[i] * offsets[j];
                    }
                }
            }

            var cosSum = 0.0;
            var pairs = 0;
            for (var i = 0; i < n; i++)
            {
                for (var j = i + 1; j < n; j++)
                {
                    var normProduct = Math.Sqrt(gram[i, i]) * Math.Sqrt(gram[j, j]);
                    cosSum += Math.Clamp(gram[i, j] / Math.Max(normProduct, 1e-6), -1.0, 1.0);
                    pairs++;
                }
            }

            var cosTheta = cosSum / pairs;
            var t = n * cosTheta / (1 + ((n - 1) * cosTheta));
            for (var k = start; k < start + rowLength; k++)
            {
                var sum = 0.0;
                for (var i = 0; i < n; i++)
                {
                    sum += models[i].Data.Span[k];
                }

                output[k] = (float)((t * (sum / n)) + ((1 - t) * baseValues[k]));
            }
        }
    }
}
