using Medley.Sdk.Merging;

namespace Medley.Sdk.Testing;

/// <summary>
/// Runs a merge method on in-memory tensors the way the host does, and checks the contract on the way: every
/// output element written, inputs left untouched, the same result for the same seed.
/// </summary>
public static class MergeMethodHarness
{
    /// <summary>Merges one tensor.</summary>
    /// <param name="method">The method under test.</param>
    /// <param name="models">Each non-base input's values and per-model parameters, in config order.</param>
    /// <param name="baseModel">The base's values, or <see langword="null"/>.</param>
    /// <param name="parameters">Global parameters for the tensor.</param>
    /// <param name="shape">The tensor's shape; defaults to a vector.</param>
    /// <param name="seed">The tensor's seed.</param>
    /// <param name="tensorName">The tensor's name.</param>
    /// <returns>The merged values.</returns>
    /// <exception cref="InvalidOperationException">When the method breaks the contract.</exception>
    public static float[] Run(
        IMergeMethod method,
        IReadOnlyList<(float[] Values, StrategyParameters Parameters)> models,
        float[]? baseModel,
        StrategyParameters? parameters = null,
        IReadOnlyList<long>? shape = null,
        ulong seed = 0,
        string tensorName = "model.layers.0.mlp.up_proj.weight")
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(models);
        var length = models.Count > 0 ? models[0].Values.Length : baseModel?.Length ?? 0;
        var copies = models.Select(m => (float[])m.Values.Clone()).ToList();
        var baseCopy = (float[]?)baseModel?.Clone();
        var inputs = models.Select((m, i) => new MergeInput($"model{i}", m.Values, m.Parameters)).ToList();
        var baseInput = baseModel is null ? null : new MergeInput("base", baseModel, StrategyParameters.Empty);

        var output = new float[length];
        // A sentinel no real merge produces shows elements the method forgot to write.
        Array.Fill(output, BitConverter.Int32BitsToSingle(0x7FA1B2C3));
        method.MergeTensor(
            new MergeTensorContext(tensorName, shape ?? [length], inputs, baseInput, parameters ?? StrategyParameters.Empty, output, seed),
            CancellationToken.None);

        for (var i = 0; i < output.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(output[i]) == 0x7FA1B2C3)
            {
                throw new InvalidOperationException($"{method.GetType().Name} left output element {i} of {output.Length} unwritten.");
            }
        }

        for (var m = 0; m < models.Count; m++)
        {
            if (!copies[m].AsSpan().SequenceEqual(models[m].Values))
            {
                throw new InvalidOperationException($"{method.GetType().Name} changed input {m}; inputs are read-only.");
            }
        }

        if (baseCopy is not null && !baseCopy.AsSpan().SequenceEqual(baseModel))
        {
            throw new InvalidOperationException($"{method.GetType().Name} changed the base input; inputs are read-only.");
        }

        return output;
    }
}
