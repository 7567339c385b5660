using CsCheck;
using Medley.Merging.Tests.Support;

namespace Medley.Merging.Tests;

/// <summary>Every method against the independent double-precision reference, on random inputs.</summary>
public sealed class ReferenceAgreementTests
{
    // Values on a 1/8 grid keep float task vectors and weighted sums exact, so the elected signs and the magnitude
    // order (ties included, which the grid makes common) are the reference's own; the rest is compared with a tolerance.
    private static readonly Gen<GtaCase> GridCases =
        from modelCount in Gen.Int[1, 4]
        from rows in Gen.Int[1, 4]
        from rowLength in Gen.Int[1, 9]
        from baseGrid in Gen.Int[-16, 16].Array[rows * rowLength]
        from modelGrid in Gen.Int[-16, 16].Array[rows * rowLength].Array[modelCount]
        from weightGrid in Gen.Int[-4, 8].Array[modelCount]
        from densityGrid in Gen.Int[0, 10].Array[modelCount]
        from gammaGrid in Gen.Int[0, 3].Array[modelCount]
        from lambda in Gen.Int[1, 8]
        from normalizeChoice in Gen.Int[0, 2]
        from rescaleChoice in Gen.Int[0, 2]
        from seed in Gen.ULong
        select new GtaCase(
            rows,
            rowLength,
            baseGrid.Select(v => v / 8f).ToArray(),
            modelGrid.Select(m => m.Select((v, j) => (baseGrid[j] + v) / 8f).ToArray()).ToArray(),
            weightGrid.Select(w => w / 4.0).ToArray(),
            densityGrid.Select(d => d / 10.0).ToArray(),
            gammaGrid.Select(g => g / 10.0).ToArray(),
            lambda / 4.0,
            normalizeChoice == 2 ? null : normalizeChoice == 1,
            rescaleChoice == 2 ? null : rescaleChoice == 1,
            seed);

    [Theory]
    [InlineData("task_arithmetic")]
    [InlineData("ties")]
    [InlineData("dare_ties")]
    [InlineData("dare_linear")]
    [InlineData("breadcrumbs")]
    [InlineData("breadcrumbs_ties")]
    [InlineData("della")]
    [InlineData("della_linear")]
    public void Method_matches_the_double_precision_reference(string name)
    {
        var spec = Methods.Gta[name];
        GridCases.Sample(c =>
        {
            // DELLA needs 0 < density ± epsilon < 1: pick the largest epsilon up to 0.15 that fits.
            var epsilons = c.Densities.Select(d => Math.Min(0.15, Math.Min(d, 1 - d) / 2)).ToArray();
            var modelParameters = c.Models.Select((_, i) => (IReadOnlyDictionary<string, object?>)MergeRunner.P(
                ("weight", c.Weights[i]),
                ("density", c.Densities[i]),
                (spec.Sparsifier == Sparsifier.MagnitudeOutliers ? "gamma" : "epsilon", spec.Sparsifier == Sparsifier.MagnitudeOutliers ? c.Gammas[i] : epsilons[i]))).ToArray();
            var globals = MergeRunner.P(("lambda", c.Lambda), ("int8_mask", true));
            if (c.Normalize is { } normalize)
            {
                globals["normalize"] = normalize;
            }

            if (c.Rescale is { } rescale)
            {
                globals["rescale"] = rescale;
            }

            if (spec.Sparsifier is not (Sparsifier.MagnitudeOutliers or Sparsifier.Della))
            {
                foreach (var p in modelParameters)
                {
                    ((Dictionary<string, object?>)p).Remove("gamma");
                    ((Dictionary<string, object?>)p).Remove("epsilon");
                }
            }

            var actual = MergeRunner.Run(Methods.Get(name), c.Base, c.Models, modelParameters, globals, [c.Rows, c.RowLength], c.Seed);
            var expected = ReferenceMerge.Gta(
                spec, c.Base, c.Models, c.Weights, c.Densities, c.Gammas, epsilons, c.RowLength,
                c.Normalize ?? spec.Normalize, c.Rescale ?? spec.Rescale, c.Lambda, c.Seed);
            Tolerance.AssertClose(expected, actual);
        }, iter: 300);
    }

    [Fact]
    public void Linear_matches_the_reference_on_random_floats()
    {
        Gen.Select(Gen.Int[1, 5], Gen.Int[1, 40], Gen.Bool)
            .SelectMany((count, n, normalize) => Gen.Select(
                Gen.Float[-100f, 100f].Array[n].Array[count],
                Gen.Float[0.05f, 4f].Array[count],
                (models, weights) => (models, weights, normalize)))
            .Sample(c =>
            {
                var weights = c.weights.Select(w => (double)w).ToArray();
                var actual = MergeRunner.Run(Methods.Get("linear"), null, c.models, MergeRunner.Weights(weights), MergeRunner.P(("normalize", c.normalize)));
                // A float32 weighted sum can lose digits to cancellation: its rounding error is bounded relative to
                // the sum of the terms' magnitudes, not to the (possibly much smaller) result.
                var magnitudes = ReferenceMerge.Linear(c.models.Select(m => m.Select(Math.Abs).ToArray()).ToArray(), weights, c.normalize);
                Tolerance.AssertClose(ReferenceMerge.Linear(c.models, weights, c.normalize), actual, magnitudes);
            }, iter: 300);
    }

    [Fact]
    public void Task_arithmetic_matches_the_reference_across_chunk_boundaries()
    {
        // 40 000 elements span three of the 16 384-element chunks the unsparsified path works in.
        var random = new Random(7);
        var n = 40_000;
        var baseValues = Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var models = Enumerable.Range(0, 3).Select(_ => baseValues.Select(b => b + ((float)random.NextDouble() - 0.5f)).ToArray()).ToArray();
        double[] weights = [0.5, 1.5, -0.25];
        foreach (var name in new[] { "task_arithmetic", "ties" })
        {
            var spec = Methods.Gta[name];
            var actual = MergeRunner.Run(Methods.Get(name), baseValues, models, MergeRunner.Weights(weights), MergeRunner.P(("lambda", 0.7)), [200, 200]);
            var ones = new double[3];
            Array.Fill(ones, 1.0);
            var expected = ReferenceMerge.Gta(spec, baseValues, models, weights, ones, ones, ones, 200, spec.Normalize, spec.Rescale, 0.7, 0);
            Tolerance.AssertClose(expected, actual);
        }
    }

    internal sealed record GtaCase(
        int Rows,
        int RowLength,
        float[] Base,
        float[][] Models,
        double[] Weights,
        double[] Densities,
        double[] Gammas,
        double Lambda,
        bool? Normalize,
        bool? Rescale,
        ulong Seed);
}
