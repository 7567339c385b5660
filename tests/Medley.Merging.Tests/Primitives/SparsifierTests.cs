using CsCheck;
using Medley.Merging.Tests.Support;
using Medley.Sdk;
using Medley.Sdk.Merging.Primitives;

namespace Medley.Merging.Tests.Primitives;

public sealed class SparsifierTests
{
    [Fact]
    public void Magnitude_keeps_the_largest_and_breaks_ties_by_lower_index()
    {
        // density 0.5 of 6 keeps 3: magnitude 5, then two of the three 2s: the ones at indices 1 and 3.
        float[] delta = [1, -2, 5, 2, -2, 0.5f];
        Assert.Equal(3, MagnitudeSparsifier.Sparsify(delta, 0.5));
        Assert.Equal([0f, -2f, 5f, 2f, 0f, 0f], delta);
    }

    [Fact]
    public void Magnitude_density_below_one_element_zeroes_the_vector()
    {
        float[] delta = [1, 2, 3, 4];
        Assert.Equal(0, MagnitudeSparsifier.Sparsify(delta, 0.2));
        Assert.Equal([0f, 0f, 0f, 0f], delta);
    }

    [Fact]
    public void Magnitude_keeps_exactly_floor_density_n_of_the_largest()
    {
        // Integer-valued entries make ties frequent, so the tie rule is exercised as well.
        Gen.Select(Gen.Int[-20, 20].Array[1, 300], Gen.Double[0, 1])
            .Sample((values, density) =>
            {
                var delta = values.Select(v => (float)v).ToArray();
                var k = (int)Math.Floor(density * delta.Length);
                Assert.Equal(k, MagnitudeSparsifier.Sparsify(delta, density));
                var expectedKept = ReferenceMerge.DescendingOrder(values.Select(v => (double)v).ToArray(), 0, values.Length).Take(k).ToHashSet();
                for (var j = 0; j < values.Length; j++)
                {
                    Assert.Equal(expectedKept.Contains(j) ? values[j] : 0f, delta[j]);
                }
            }, iter: 300);
    }

    [Fact]
    public void Magnitude_handles_values_in_many_radix_buckets()
    {
        // Spread over many exponents so both radix passes matter; compare with a full sort.
        var random = new Random(9);
        var values = Enumerable.Range(0, 50_000).Select(_ => (float)((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 6)))).ToArray();
        var delta = values.ToArray();
        MagnitudeSparsifier.Sparsify(delta, 0.37);
        var kept = ReferenceMerge.DescendingOrder(values.Select(v => (double)v).ToArray(), 0, values.Length).Take(18_500).ToHashSet();
        Assert.All(Enumerable.Range(0, values.Length), j => Assert.Equal(kept.Contains(j) ? values[j] : 0f, delta[j]));
    }

    [Fact]
    public void Outliers_cut_counts_follow_mergekit()
    {
        Assert.Equal((1, 4), MagnitudeOutlierSparsifier.Cuts(10, 0.5, 0.1));
        // n_bot = 10 − 9 − 2 = −1: one fewer outlier is cut so that 9 are kept.
        Assert.Equal((1, 0), MagnitudeOutlierSparsifier.Cuts(10, 0.9, 0.2));
        Assert.Equal((0, 5), MagnitudeOutlierSparsifier.Cuts(10, 0.5, 0.0));
    }

    [Fact]
    public void Outliers_with_gamma_0_keep_the_top_density_entries()
    {
        Gen.Select(Gen.Float[-10f, 10f].Array[1, 200], Gen.Double[0, 0.99])
            .Sample((values, density) =>
            {
                var breadcrumbs = values.ToArray();
                var magnitude = values.ToArray();
                var kept = MagnitudeOutlierSparsifier.Sparsify(breadcrumbs, density, 0.0);
                MagnitudeSparsifier.Sparsify(magnitude, density);
                Assert.Equal((int)Math.Floor(density * values.Length), kept);
                Assert.Equal(magnitude, breadcrumbs);
            }, iter: 300);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Random_keeps_about_density_of_the_entries(double density)
    {
        const int n = 20_000;
        var delta = Enumerable.Repeat(1f, n).ToArray();
        var kept = RandomSparsifier.Sparsify(delta, density, new DeterministicRandom(17));
        Assert.Equal(kept, delta.Count(v => v != 0));
        AssertWithinFiveSigma(kept, n * density, n * density * (1 - density));
    }

    [Fact]
    public void Random_masks_depend_only_on_the_seed()
    {
        var a = Enumerable.Repeat(1f, 1000).ToArray();
        var b = Enumerable.Repeat(1f, 1000).ToArray();
        var c = Enumerable.Repeat(1f, 1000).ToArray();
        RandomSparsifier.Sparsify(a, 0.5, new DeterministicRandom(1));
        RandomSparsifier.Sparsify(b, 0.5, new DeterministicRandom(1));
        RandomSparsifier.Sparsify(c, 0.5, new DeterministicRandom(2));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData(0.2, 0.15)]
    [InlineData(0.5, 0.15)]
    [InlineData(0.7, 0.25)]
    public void Della_keeps_about_density_and_favours_large_magnitudes(double density, double epsilon)
    {
        const int rows = 100;
        const int rowLength = 200;
        var delta = Enumerable.Range(0, rows * rowLength).Select(j => (float)((j % rowLength) + 1)).ToArray();
        var kept = DellaMagPruneSparsifier.Sparsify(delta, rowLength, density, epsilon, new DeterministicRandom(23));
        var n = rows * rowLength;
        // Σ p(1−p) ≤ n/4 bounds the variance of the kept count.
        AssertWithinFiveSigma(kept, n * density, n / 4.0);
        // In every row the larger half (values above rowLength/2) is kept more often than the smaller half.
        var largeKept = delta.Where((v, j) => v != 0 && (j % rowLength) >= rowLength / 2).Count();
        var smallKept = delta.Where((v, j) => v != 0 && (j % rowLength) < rowLength / 2).Count();
        Assert.True(largeKept > smallKept, $"large {largeKept}, small {smallKept}");
    }

    [Fact]
    public void Della_rejects_epsilon_outside_the_bounds()
    {
        Assert.NotNull(DellaMagPruneSparsifier.CheckParameters(0.9, 0.15));
        Assert.Null(DellaMagPruneSparsifier.CheckParameters(0.5, 0.15));
        Assert.Null(DellaMagPruneSparsifier.CheckParameters(1.0, 0.9));
        Assert.Throws<ArgumentOutOfRangeException>(() => DellaMagPruneSparsifier.Sparsify(new float[4], 4, 0.9, 0.15, new DeterministicRandom(1)));
    }

    [Fact]
    public void Rescaling_matches_the_l1_norm_or_the_inverse_density()
    {
        float[] original = [1, -2, 3, -4];
        float[] sparse = [1, 0, 3, 0];
        // ‖δ‖₁ = 10, ‖δ⊙m‖₁ = 4: × 2.5.
        SparsificationRescaling.Apply(sparse, SparsificationRescaling.L1Norm(original), 0.5, SparsificationRescale.L1Norm);
        Assert.Equal([2.5f, 0f, 7.5f, 0f], sparse);
        float[] dare = [1, 0, 3, 0];
        SparsificationRescaling.Apply(dare, 10, 0.5, SparsificationRescale.InverseDensity);
        Assert.Equal([2f, 0f, 6f, 0f], dare);
        float[] empty = [0, 0];
        SparsificationRescaling.Apply(empty, 10, 0.5, SparsificationRescale.L1Norm);
        Assert.Equal([0f, 0f], empty);
    }

    private static void AssertWithinFiveSigma(int observed, double mean, double variance)
    {
        var bound = 5 * Math.Sqrt(variance);
        Assert.True(Math.Abs(observed - mean) <= bound, $"kept {observed}, expected {mean} ± {bound}");
    }
}
