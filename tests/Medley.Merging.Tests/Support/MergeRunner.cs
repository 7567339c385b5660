using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Merging.Tests.Support;

/// <summary>Builds a <see cref="MergeTensorContext"/> the way the host would and runs one method on it.</summary>
internal static class MergeRunner
{
    public static float[] Run(
        IMergeMethod method,
        float[]? baseValues,
        float[][] models,
        IReadOnlyList<IReadOnlyDictionary<string, object?>> modelParameters,
        IReadOnlyDictionary<string, object?>? globalParameters = null,
        long[]? shape = null,
        ulong seed = 42)
    {
        var count = models.Length > 0 ? models[0].Length : baseValues!.Length;
        var output = new float[count];
        // A sentinel shows any element the method failed to write.
        Array.Fill(output, float.NaN);
        method.MergeTensor(Context(baseValues, models, modelParameters, globalParameters, shape ?? [count], output, seed), CancellationToken.None);
        return output;
    }

    public static MergeTensorContext Context(
        float[]? baseValues,
        float[][] models,
        IReadOnlyList<IReadOnlyDictionary<string, object?>> modelParameters,
        IReadOnlyDictionary<string, object?>? globalParameters,
        long[] shape,
        float[] output,
        ulong seed)
    {
        var inputs = models
            .Select((data, i) => new MergeInput($"model{i}", data, StrategyParameters.FromValues(modelParameters[i])))
            .ToArray();
        var baseInput = baseValues is null ? null : new MergeInput("base", baseValues, StrategyParameters.Empty);
        var globals = globalParameters is null ? StrategyParameters.Empty : StrategyParameters.FromValues(globalParameters);
        return new MergeTensorContext("model.layers.0.mlp.weight", shape, inputs, baseInput, globals, output, seed);
    }

    public static Dictionary<string, object?> P(params (string Name, object? Value)[] values) =>
        values.ToDictionary(v => v.Name, v => v.Value);

    public static IReadOnlyDictionary<string, object?>[] Weights(params double[] weights) =>
        weights.Select(w => (IReadOnlyDictionary<string, object?>)P(("weight", w))).ToArray();
}
