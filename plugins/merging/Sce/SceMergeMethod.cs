using Medley.Sdk;
using Medley.Sdk.Merging;
using Medley.Sdk.Merging.Primitives;

namespace Medley.Merging.Sce;

/// <summary>
/// mergekit's <c>sce</c> (Select, Calculate, Erase; FuseLLM/FuseChat): keeps the task vector elements with the
/// highest variance across models, weights each model by its task vector energy and drops elements whose
/// sign disagrees with the majority.
/// </summary>
/// <remarks>
/// <para>
/// Select: with <c>0 &lt; select_topk &lt; 1</c>, the population variance of <c>δᵢ = xᵢ − base</c> across models
/// is taken per element (rounded to float32, as mergekit computes it); <c>k = ⌊select_topk · #(variance ≠ 0)⌋</c>
/// elements with the largest variance keep their deltas, all others are zeroed (equal variances at the cut
/// are taken lowest index first; torch leaves that order unspecified). <c>select_topk ≤ 0</c> or <c>k = 0</c>
/// zeroes every delta; <c>select_topk ≥ 1</c> keeps all.
/// </para>
/// <para>
/// Calculate: <c>wᵢ = mean(δᵢ²) / Σⱼ mean(δⱼ²)</c> over the whole (selected) tensor; when that sum is below
/// 1e-6 mergekit falls back to equal weights <c>1/N</c>, and so does Medley — note that small fine-tuning
/// deltas often hit this fallback.
/// </para>
/// <para>
/// Erase: the majority sign is the sign of <c>Σ δᵢ</c> (zero counts as positive); element <c>i</c> survives when
/// <c>sign(δᵢ)</c> equals it, so zero deltas never do. <c>out = base + Σ wᵢ mᵢ δᵢ / max(Σ wᵢ mᵢ, 1e-6)</c>.
/// </para>
/// <para><c>int8_mask</c> only sets the mask dtype in mergekit; it is accepted and has no effect.</para>
/// </remarks>
[MedleyStrategy("sce")]
public sealed class SceMergeMethod : IMergeMethod
{
    /// <inheritdoc />
    public MergeMethodTraits Traits { get; } = new()
    {
        BaseModel = BaseModelUse.Required,
        MinModels = 1,
    };

    /// <inheritdoc />
    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var baseInput = context.RequireBaseModel("sce");
        var models = context.Models;
        var n = models.Count;
        var count = context.ElementCount;
        var baseValues = baseInput.Data.Span;
        var output = context.Output.Span;
        if (n == 0 || count == 0)
        {
            baseValues.CopyTo(output);
            return;
        }

        var topK = context.Parameters.GetDouble("select_topk", 1.0);
        var selection = Selection.Create(context, topK, cancellationToken);

        // Calculate: per-model energy of the selected deltas.
        var energy = new double[n];
        var cursor = selection.Start();
        for (var k = 0; k < count; k++)
        {
            if (!selection.Keeps(context, k, ref cursor))
            {
                continue;
            }

            double origin = baseValues[k];
            for (var i = 0; i < n; i++)
            {
                var delta = models[i].Data.Span[k] - origin;
                energy[i] += delta * delta;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        var weights = new double[n];
        var energySum = energy.Sum() / count;
        for (var i = 0; i < n; i++)
        {
            weights[i] = Math.Abs(energySum) < 1e-6 ? 1.0 / n : energy[i] / count / energySum;
        }

        // Erase and merge.
        cursor = selection.Start();
        Span<double> deltas = n <= 64 ? stackalloc double[n] : new double[n];
        for (var k = 0; k < count; k++)
        {
            if ((k & 0xFFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (!selection.Keeps(context, k, ref cursor))
            {
                output[k] = baseValues[k];
                continue;
            }

            double origin = baseValues[k];
            var total = 0.0;
            for (var i = 0; i < n; i++)
            {
                deltas[i] = models[i].Data.Span[k] - origin;
                total += deltas[i];
            }

            var majority = total >= 0 ? 1 : -1;
            double mixed = 0, divisor = 0;
            for (var i = 0; i < n; i++)
            {
                if (Math.Sign(deltas[i]) == majority)
                {
                    mixed += weights[i] * deltas[i];
                    divisor += weights[i];
                }
            }

            output[k] = (float)(origin + (mixed / Math.Max(divisor, 1e-6)));
        }
    }

    /// <summary>Which elements the Select step keeps: above a variance threshold, plus ties in index order.</summary>
    private readonly record struct Selection(bool KeepAll, bool KeepNone, float Threshold, int TiesAllowed)
    {
        public static Selection Create(MergeTensorContext context, double topK, CancellationToken cancellationToken)
        {
            if (topK >= 1)
            {
                return new Selection(true, false, 0, 0);
            }

            if (topK <= 0)
            {
                return new Selection(false, true, 0, 0);
            }

            var count = context.ElementCount;
            var variances = new float[count];
            var nonZero = 0;
            for (var k = 0; k < count; k++)
            {
                variances[k] = Variance(context, k);
                if (variances[k] != 0)
                {
                    nonZero++;
                }
            }

            var keep = (int)(topK * nonZero);
            if (keep == 0)
            {
                return new Selection(false, true, 0, 0);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var threshold = OrderStatistic.Select(variances, count - keep);
            var above = 0;
            for (var k = 0; k < count; k++)
            {
                if (variances[k] > threshold)
                {
                    above++;
                }
            }

            return new Selection(false, false, threshold, keep - above);
        }

        public int Start() => TiesAllowed;

        public bool Keeps(MergeTensorContext context, int index, ref int tiesLeft)
        {
            if (KeepAll)
            {
                return true;
            }

            if (KeepNone)
            {
                return false;
            }

            var variance = Variance(context, index);
            if (variance > Threshold)
            {
                return true;
            }

            if (variance == Threshold && tiesLeft > 0)
            {
                tiesLeft--;
                return true;
            }

            return false;
        }

        // Recomputed rather than stored so that only one scratch copy of the tensor is needed; the same
        // arithmetic gives the same float every time.
        private static float Variance(MergeTensorContext context, int index)
        {
            var models = context.Models;
            double origin = context.BaseModel!.Data.Span[index];
            var sum = 0.0;
            for (var i = 0; i < models.Count; i++)
            {
                sum += models[i].Data.Span[index] - origin;
            }

            var mean = sum / models.Count;
            var squares = 0.0;
            for (var i = 0; i < models.Count; i++)
            {
                var centered = models[i].Data.Span[index] - origin - mean;
                squares += centered * centered;
            }

            return (float)(squares / models.Count);
        }
    }
}
