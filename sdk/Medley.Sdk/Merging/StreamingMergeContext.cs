namespace Medley.Sdk.Merging;

/// <summary>Everything a streaming merge method sees when it merges one tensor (see <see cref="IStreamingMergeMethod"/>).</summary>
public sealed class StreamingMergeContext
{
    /// <summary>Creates a context; the host does this, tests of merge methods may too.</summary>
    /// <param name="tensorName">The output tensor's name.</param>
    /// <param name="shape">The tensor's shape (row-major).</param>
    /// <param name="models">The non-base inputs, in config order.</param>
    /// <param name="baseModel">The base input, when the config names one and the method uses it.</param>
    /// <param name="parameters">Global parameters resolved for this tensor.</param>
    /// <param name="output">Receives the merged values, front to back.</param>
    /// <param name="seed">Seed for this tensor, derived from the merge seed and the tensor name.</param>
    public StreamingMergeContext(
        string tensorName,
        IReadOnlyList<long> shape,
        IReadOnlyList<StreamingMergeInput> models,
        StreamingMergeInput? baseModel,
        StrategyParameters parameters,
        ITensorChunkWriter output,
        ulong seed)
    {
        ArgumentNullException.ThrowIfNull(tensorName);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(output);
        var count = 1L;
        foreach (var dim in shape)
        {
            count *= dim;
        }

        TensorName = tensorName;
        Shape = shape;
        ElementCount = checked((int)count);
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
    public int ElementCount { get; }

    /// <summary>Length of the last dimension (1 for scalars): a "row" for row-wise methods.</summary>
    public int RowLength => Shape.Count == 0 ? 1 : checked((int)Shape[^1]);

    /// <summary>The non-base inputs, in config order.</summary>
    public IReadOnlyList<StreamingMergeInput> Models { get; }

    /// <summary>The base input, if any.</summary>
    public StreamingMergeInput? BaseModel { get; }

    /// <summary>Global parameters resolved for this tensor.</summary>
    public StrategyParameters Parameters { get; }

    /// <summary>Where the merged values go, front to back.</summary>
    public ITensorChunkWriter Output { get; }

    /// <summary>Seed for this tensor; equal for equal merge seed and tensor name, whatever the thread count.</summary>
    public ulong Seed { get; }

    /// <summary>A random generator for one stream of this tensor, the same as <see cref="MergeTensorContext.CreateRandom"/> gives.</summary>
    /// <param name="stream">Stream index.</param>
    /// <returns>A generator seeded from <see cref="Seed"/> and <paramref name="stream"/>.</returns>
    public DeterministicRandom CreateRandom(int stream) => new(DeterministicRandom.Derive(Seed, stream));

    /// <summary>
    /// Reads every input whole and gives the equivalent <see cref="MergeTensorContext"/>, for methods that need the
    /// whole tensor at once; call <see cref="WriteOutput"/> with its output afterwards.
    /// </summary>
    /// <returns>A context over freshly allocated arrays.</returns>
    public MergeTensorContext Materialize()
    {
        MergeInput Read(StreamingMergeInput input)
        {
            var values = GC.AllocateUninitializedArray<float>(ElementCount);
            input.Data.Read(0, values);
            return new MergeInput(input.ModelName, values, input.Parameters);
        }

        return new MergeTensorContext(
            TensorName,
            Shape,
            Models.Select(Read).ToList(),
            BaseModel is null ? null : Read(BaseModel),
            Parameters,
            new float[ElementCount],
            Seed);
    }

    /// <summary>Writes a materialized context's output to <see cref="Output"/>.</summary>
    /// <param name="materialized">The context <see cref="Materialize"/> returned, after merging.</param>
    public void WriteOutput(MergeTensorContext materialized)
    {
        ArgumentNullException.ThrowIfNull(materialized);
        Output.Write(materialized.Output.Span);
    }
}
