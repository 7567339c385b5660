namespace Medley.Sdk.Merging;

/// <summary>Everything a merge method sees when it merges one tensor.</summary>
public sealed class MergeTensorContext
{
    /// <summary>Creates a context; the host does this, tests of merge methods may too.</summary>
    /// <param name="tensorName">The output tensor's name.</param>
    /// <param name="shape">The tensor's shape (row-major).</param>
    /// <param name="models">The non-base inputs, in config order.</param>
    /// <param name="baseModel">The base input, when the config names one and the method uses it.</param>
    /// <param name="parameters">Global parameters resolved for this tensor.</param>
    /// <param name="output">Where the merged values go; same element count as the inputs.</param>
    /// <param name="seed">Seed for this tensor, derived from the merge seed and the tensor name.</param>
    public MergeTensorContext(
        string tensorName,
        IReadOnlyList<long> shape,
        IReadOnlyList<MergeInput> models,
        MergeInput? baseModel,
        StrategyParameters parameters,
        Memory<float> output,
        ulong seed)
    {
        ArgumentNullException.ThrowIfNull(tensorName);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(parameters);
        var count = 1L;
        foreach (var dim in shape)
        {
            count *= dim;
        }

        if (count != output.Length)
        {
            throw new ArgumentException($"Output holds {output.Length} values but shape [{string.Join(", ", shape)}] has {count}.", nameof(output));
        }

        foreach (var input in baseModel is null ? models : models.Append(baseModel))
        {
            if (input.Data.Length != count)
            {
                throw new ArgumentException($"Input '{input.ModelName}' holds {input.Data.Length} values but shape [{string.Join(", ", shape)}] has {count}.", nameof(models));
            }
        }

        TensorName = tensorName;
        Shape = shape;
        Models = models;
        BaseModel = baseModel;
        Parameters = parameters;
        Output = output;
        Seed = seed;
    }

    /// <summary>The output tensor's name.</summary>
    public string TensorName { get; }

    /// <summary>The tensor's shape (row-major).</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>Number of values in the tensor.</summary>
    public int ElementCount => Output.Length;

    /// <summary>Length of the last dimension (1 for scalars): a "row" for row-wise methods.</summary>
    public int RowLength => Shape.Count == 0 ? 1 : checked((int)Shape[^1]);

    /// <summary>The non-base inputs, in config order.</summary>
    public IReadOnlyList<MergeInput> Models { get; }

    /// <summary>The base input, if any.</summary>
    public MergeInput? BaseModel { get; }

    /// <summary>Global parameters resolved for this tensor.</summary>
    public StrategyParameters Parameters { get; }

    /// <summary>Where the merged values go.</summary>
    public Memory<float> Output { get; }

    /// <summary>Seed for this tensor; equal for equal merge seed and tensor name, whatever the thread count.</summary>
    public ulong Seed { get; }

    /// <summary>
    /// The base input, for methods that need one: the host already refuses configs without a base for such
    /// methods, so this guards direct callers (tests, other hosts) with the same error.
    /// </summary>
    /// <param name="method">The method's name, for the message.</param>
    /// <returns>The base input.</returns>
    /// <exception cref="MedleyException">When the tensor has no base (<c>merge.base_model.missing</c>).</exception>
    public MergeInput RequireBaseModel(string method) => BaseModel ?? throw new MedleyException(
        "merge.base_model.missing",
        $"Merge method '{method}' needs a base_model, but tensor '{TensorName}' has none.");

    /// <summary>Checks the number of non-base inputs against what a method accepts.</summary>
    /// <param name="method">The method's name, for the message.</param>
    /// <param name="min">The fewest inputs accepted.</param>
    /// <param name="max">The most inputs accepted, or <see langword="null"/> for no limit.</param>
    /// <exception cref="MedleyException">When the count is outside the range (<c>merge.inputs.count</c>).</exception>
    public void RequireModelCount(string method, int min, int? max = null)
    {
        var count = Models.Count;
        if (count >= min && (max is null || count <= max))
        {
            return;
        }

        var expected = min == max ? $"exactly {min}" : count < min ? $"at least {min}" : $"at most {max}";
        throw new MedleyException(
            "merge.inputs.count",
            $"Merge method '{method}' takes {expected} model(s) besides the base, but tensor '{TensorName}' has {count}.");
    }

    /// <summary>A random generator for one stream of this tensor (use the input's index so inputs get independent streams).</summary>
    /// <param name="stream">Stream index.</param>
    /// <returns>A generator seeded from <see cref="Seed"/> and <paramref name="stream"/>.</returns>
    public DeterministicRandom CreateRandom(int stream) => new(DeterministicRandom.Derive(Seed, stream));
}
