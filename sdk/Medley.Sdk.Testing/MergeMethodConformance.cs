using Medley.Sdk.Merging;

namespace Medley.Sdk.Testing;

/// <summary>Checks an <see cref="IMergeMethod"/> the way the host calls it, one tensor at a time.</summary>
public static class MergeMethodConformance
{
    // A NaN payload no real merge produces: an element still holding it was never written.
    private const int UnwrittenBits = 0x7FA1B2C3;

    /// <summary>
    /// Merges a random tensor and checks: the parameters given are accepted by <see cref="IMergeMethod.ValidateParameters"/>;
    /// every output element is written; inputs (models and base) are left untouched; the output is finite for finite input;
    /// the same seed gives the same output; an already cancelled token ends the call with <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <param name="method">The method under test.</param>
    /// <param name="options">Parameters and shape; defaults when <see langword="null"/>.</param>
    /// <exception cref="ConformanceException">Listing every broken rule.</exception>
    public static void Check(IMergeMethod method, MergeConformanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        options ??= new MergeConformanceOptions();
        var subject = $"merge method {method.GetType().FullName}";
        var violations = new ViolationList();
        var traits = method.Traits;
        var modelCount = options.ModelCount ?? Math.Max(traits.MinModels, Math.Min(2, traits.MaxModels ?? 2));
        var length = checked((int)options.Shape.Aggregate(1L, (a, b) => a * b));
        var random = new DeterministicRandom(20240607);
        float[] Values() => Enumerable.Range(0, length).Select(_ => (random.NextSingle() * 2) - 1).ToArray();
        var models = Enumerable.Range(0, modelCount).Select(_ => Values()).ToList();
        var baseModel = traits.BaseModel == BaseModelUse.None ? null : Values();

        var rejected = method.ValidateParameters(options.GlobalParameters, models.Select(_ => options.ModelParameters).ToList());
        foreach (var problem in rejected)
        {
            violations.Add($"ValidateParameters rejects the parameters the check was given ({problem}); pass parameters the method accepts in MergeConformanceOptions.");
        }

        violations.ThrowIfAny(subject);
        var first = MergeOnce(method, options, models, baseModel, CancellationToken.None, violations);
        var second = MergeOnce(method, options, models, baseModel, CancellationToken.None, violations);
        if (first is not null && second is not null && !first.AsSpan().SequenceEqual(second))
        {
            var index = first.AsSpan().CommonPrefixLength(second);
            violations.Add($"two merges with seed {options.Seed} differ (element {index}: {first[index]} then {second[index]}); a merge must be deterministic for its seed.");
        }

        CancellationProbe.CheckAsync(
                "MergeTensor",
                token =>
                {
                    MergeOnce(method, options, models, baseModel, token, violations: null);
                    return Task.CompletedTask;
                },
                options.CancellationBound,
                violations)
            .GetAwaiter()
            .GetResult();
        violations.ThrowIfAny(subject);
    }

    private static float[]? MergeOnce(
        IMergeMethod method,
        MergeConformanceOptions options,
        List<float[]> models,
        float[]? baseModel,
        CancellationToken cancellationToken,
        ViolationList? violations)
    {
        // Each run gets its own copies, so a method that writes into its inputs cannot also spoil the determinism check.
        var given = models.Select(m => (float[])m.Clone()).ToList();
        var givenBase = (float[]?)baseModel?.Clone();
        var inputs = given.Select((m, i) => new MergeInput($"model{i}", m, options.ModelParameters)).ToList();
        var baseInput = givenBase is null ? null : new MergeInput("base", givenBase, StrategyParameters.Empty);
        var output = new float[given.Count > 0 ? given[0].Length : givenBase?.Length ?? 0];
        Array.Fill(output, BitConverter.Int32BitsToSingle(UnwrittenBits));
        var context = new MergeTensorContext("model.layers.0.mlp.up_proj.weight", options.Shape, inputs, baseInput, options.GlobalParameters, output, options.Seed);
        if (violations is null)
        {
            // The cancellation probe judges how the call ends; the other rules were checked on normal runs.
            method.MergeTensor(context, cancellationToken);
            return output;
        }

        try
        {
            method.MergeTensor(context, cancellationToken);
        }
        catch (Exception ex)
        {
            violations.Add($"MergeTensor threw {ex.GetType().Name} on valid input: {ex.Message}");
            return null;
        }

        var unwritten = Enumerable.Range(0, output.Length).Where(i => BitConverter.SingleToInt32Bits(output[i]) == UnwrittenBits).ToList();
        if (unwritten.Count > 0)
        {
            violations.Add($"MergeTensor left {unwritten.Count} of {output.Length} output element(s) unwritten (first: {unwritten[0]}); every element must be written.");
        }
        else if (Array.FindIndex(output, v => !float.IsFinite(v)) is var bad and >= 0)
        {
            violations.Add($"MergeTensor wrote {output[bad]} at element {bad} for finite input; outputs must be finite.");
        }

        for (var m = 0; m < models.Count; m++)
        {
            if (!given[m].AsSpan().SequenceEqual(models[m]))
            {
                violations.Add($"MergeTensor changed input model{m}; inputs are read-only.");
            }
        }

        if (givenBase is not null && !givenBase.AsSpan().SequenceEqual(baseModel))
        {
            violations.Add("MergeTensor changed the base input; inputs are read-only.");
        }

        return output;
    }
}
