namespace Medley.Merging.Tests.Support;

internal static class Tolerance
{
    /// <summary>Asserts float results against a double reference, relative to the size of the value (1e-5).</summary>
    public static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<float> actual, double relative = 1e-5)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var j = 0; j < expected.Count; j++)
        {
            var allowed = relative * (1 + Math.Abs(expected[j]));
            if (!(Math.Abs(expected[j] - actual[j]) <= allowed))
            {
                Assert.Fail($"Element {j}: expected {expected[j]:R}, got {actual[j]:R} (allowed difference {allowed:R}).");
            }
        }
    }

    /// <summary>As <see cref="AssertClose(IReadOnlyList{double}, IReadOnlyList{float}, double)"/>, relative to a given magnitude per element (e.g. the sum of the terms' absolute values).</summary>
    public static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<float> actual, IReadOnlyList<double> magnitudes, double relative = 1e-5)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var j = 0; j < expected.Count; j++)
        {
            var allowed = relative * (1 + Math.Abs(magnitudes[j]));
            if (!(Math.Abs(expected[j] - actual[j]) <= allowed))
            {
                Assert.Fail($"Element {j}: expected {expected[j]:R}, got {actual[j]:R} (allowed difference {allowed:R} for terms of magnitude {magnitudes[j]:R}).");
            }
        }
    }
}
