using Medley.Sdk;
using Medley.Sdk.Merging;
using Medley.Sdk.Merging.Primitives;

namespace Medley.Merging.ArceeFusion;

/// <summary>
/// mergekit's <c>arcee_fusion</c>: takes the fine-tune's change only at elements whose importance is an
/// outlier, keeping the base everywhere else.
/// </summary>
/// <remarks>
/// <para>
/// Importance, as mergekit computes it: per row (last dimension; a one-dimensional tensor is one row)
/// <c>p = softmax(θ_ft) + 1e-8</c>, <c>q = softmax(θ_base) + 1e-8</c> and the row's
/// <c>KL = Σ p log(p/q)</c>, summed over the row, so every element of a row shares one KL value;
/// <c>importance = |θ_ft − θ_base| · KL_row</c>.
/// </para>
/// <para>
/// Threshold: <c>median + 1.5 · (Q3 − Q1)</c> of all importances, each quantile being the sorted value at
/// index <c>⌊q · (n − 1)⌋</c> as in mergekit. mergekit estimates the quantiles from 1,000,000 unseeded random
/// draws when the tensor is larger; Medley always uses the exact order statistics (linear-time selection),
/// which keeps the method deterministic. The threshold is formed in float32 like mergekit's.
/// </para>
/// <para>
/// Output: the fine-tune's value where <c>importance ≥ threshold</c>, the base's elsewhere (mergekit writes
/// <c>base + Δ·mask</c>, equal up to rounding). Softmax and KL use double precision.
/// </para>
/// </remarks>
[MedleyStrategy("arcee_fusion")]
public sealed class ArceeFusionMergeMethod : IMergeMethod
{
    private const double ProbabilityFloor = 1e-8;

    /// <inheritdoc />
    public MergeMethodTraits Traits { get; } = new()
    {
        BaseModel = BaseModelUse.Required,
        MinModels = 1,
        MaxModels = 1,
    };

    /// <inheritdoc />
    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var baseInput = context.RequireBaseModel("arcee_fusion");
        context.RequireModelCount("arcee_fusion", 1, 1);

        var count = context.ElementCount;
        if (count == 0)
        {
            return;
        }

        var baseValues = baseInput.Data.Span;
        var tuned = context.Models[0].Data.Span;
        var output = context.Output.Span;
        var rowLength = context.RowLength;
        var rows = count / rowLength;
        var rowDivergence = new double[rows];
        for (var row = 0; row < rows; row++)
        {
            if ((row & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            rowDivergence[row] = KullbackLeibler(tuned.Slice(row * rowLength, rowLength), baseValues.Slice(row * rowLength, rowLength));
        }

        var scratch = new float[count];
        for (var k = 0; k < count; k++)
        {
            scratch[k] = Importance(tuned[k], baseValues[k], rowDivergence[k / rowLength]);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var last = count - 1;
        var q1 = OrderStatistic.Select(scratch, (int)Math.Floor(0.25 * last));
        var median = OrderStatistic.Select(scratch, (int)Math.Floor(0.5 * last));
        var q3 = OrderStatistic.Select(scratch, (int)Math.Floor(0.75 * last));
        var threshold = median + (1.5f * (q3 - q1));

        for (var k = 0; k < count; k++)
        {
            output[k] = Importance(tuned[k], baseValues[k], rowDivergence[k / rowLength]) >= threshold ? tuned[k] : baseValues[k];
        }
    }

    private static float Importance(float tuned, float baseValue, double divergence) =>
        (float)(Math.Abs((double)tuned - baseValue) * divergence);

    private static double KullbackLeibler(ReadOnlySpan<float> tuned, ReadOnlySpan<float> baseRow)
    {
        var (tunedMax, tunedSum) = SoftmaxNormalizer(tuned);
        var (baseMax, baseSum) = SoftmaxNormalizer(baseRow);
        var divergence = 0.0;
        for (var k = 0; k < tuned.Length; k++)
        {
            var p = (Math.Exp(tuned[k] - tunedMax) / tunedSum) + ProbabilityFloor;
            var q = (Math.Exp(baseRow[k] - baseMax) / baseSum) + ProbabilityFloor;
            divergence += p * Math.Log(p / q);
        }

        return divergence;
    }

    private static (double Max, double Sum) SoftmaxNormalizer(ReadOnlySpan<float> row)
    {
        double max = double.NegativeInfinity;
        foreach (var value in row)
        {
            max = Math.Max(max, value);
        }

        var sum = 0.0;
        foreach (var value in row)
        {
            sum += Math.Exp(value - max);
        }

        return (max, sum);
    }
}
