using Xunit;
using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Merging.Tests;

/// <summary>Runs a merge method on in-memory tensors, as the host would for one tensor.</summary>
internal static class MergeCase
{
    public static float[] Run(
        IMergeMethod method,
        float[][] models,
        float[]? baseModel = null,
        object? parameters = null,
        double[]? weights = null,
        long[]? shape = null)
    {
        var length = models.Length > 0 ? models[0].Length : baseModel!.Length;
        var inputs = models
            .Select((data, i) => new MergeInput(
                $"model{i}",
                data,
                weights is null ? StrategyParameters.Empty : StrategyParameters.FromValues([new("weight", weights[i])])))
            .ToList();
        var output = new float[length];
        var context = new MergeTensorContext(
            "model.layers.0.weight",
            shape ?? [length],
            inputs,
            baseModel is null ? null : new MergeInput("base", baseModel, StrategyParameters.Empty),
            parameters is null ? StrategyParameters.Empty : StrategyParameters.FromJson(System.Text.Json.JsonSerializer.Serialize(parameters)),
            output,
            seed: 7);
        method.MergeTensor(context, CancellationToken.None);
        return output;
    }

    public static void Close(IReadOnlyList<double> expected, IReadOnlyList<float> actual, double tolerance = 1e-5)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var scale = Math.Max(1.0, Math.Abs(expected[i]));
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= tolerance * scale,
                $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    public static void Close(IReadOnlyList<float> expected, IReadOnlyList<float> actual, double tolerance = 1e-5) =>
        Close(expected.Select(v => (double)v).ToArray(), actual, tolerance);

    public static double Dot(float[] a, float[] b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }

    public static double Norm(float[] a) => Math.Sqrt(Dot(a, a));
}
