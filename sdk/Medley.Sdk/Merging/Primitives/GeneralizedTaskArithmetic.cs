using System.Buffers;
using System.Globalization;

namespace Medley.Sdk.Merging.Primitives;

/// <summary>
/// mergekit's generalized task arithmetic as a ready-made merge: task vectors against the base, optional
/// sparsification and rescaling of each, optional sign consensus, weighted mix, normalization, λ, base + mix.
/// A merge method configures one instance (task arithmetic, TIES, DARE, breadcrumbs, DELLA…) and forwards
/// <see cref="IMergeMethod.Traits"/>, <see cref="IMergeMethod.ValidateParameters"/> and
/// <see cref="IMergeMethod.MergeTensor"/> to it. Instances are immutable and thread-safe.
/// </summary>
/// <remarks>
/// <para>Per-model parameters: <c>weight</c> (required), <c>density</c> (default 1), <c>gamma</c> (default 0.01, with
/// <see cref="SparsificationMethod.MagnitudeOutliers"/>), <c>epsilon</c> (default 0.15, with
/// <see cref="SparsificationMethod.DellaMagPrune"/>). A per-model value missing from a model's parameters is taken
/// from the global parameters, as mergekit lets top-level parameters supply per-model values.</para>
/// <para>Global parameters: <c>lambda</c> (default 1), <c>normalize</c> and <c>rescale</c> (defaults set by the
/// method), <c>int8_mask</c> (accepted for mergekit configs; it only changes the dtype of mergekit's mask and has no
/// effect on results, so it is ignored).</para>
/// <para>Random sparsifiers draw task vector <c>i</c>'s mask from <see cref="MergeTensorContext.CreateRandom"/>(i).</para>
/// </remarks>
public sealed partial class GeneralizedTaskArithmetic
{
    /// <summary>Per-model weight of a task vector.</summary>
    public const string WeightParameter = "weight";

    /// <summary>Per-model share of a task vector kept by the sparsifier.</summary>
    public const string DensityParameter = "density";

    /// <summary>Per-model share of largest magnitudes dropped as outliers (breadcrumbs).</summary>
    public const string GammaParameter = "gamma";

    /// <summary>Per-model half-spread of DELLA's keep probabilities.</summary>
    public const string EpsilonParameter = "epsilon";

    /// <summary>Global scale of the mixed task vector.</summary>
    public const string LambdaParameter = "lambda";

    /// <summary>Global switch: divide the mix by the sum of (agreeing) weights.</summary>
    public const string NormalizeParameter = "normalize";

    /// <summary>Global switch: rescale sparsified task vectors.</summary>
    public const string RescaleParameter = "rescale";

    /// <summary>Global mergekit switch accepted without effect.</summary>
    public const string Int8MaskParameter = "int8_mask";

    /// <summary>Default of <see cref="DensityParameter"/>.</summary>
    public const double DefaultDensity = 1.0;

    /// <summary>Default of <see cref="GammaParameter"/>.</summary>
    public const double DefaultGamma = 0.01;

    /// <summary>Default of <see cref="EpsilonParameter"/>.</summary>
    public const double DefaultEpsilon = 0.15;

    /// <summary>Default of <see cref="LambdaParameter"/>.</summary>
    public const double DefaultLambda = 1.0;

    // Without sparsification the task vectors are formed chunk by chunk, so memory stays small for any tensor size.
    private const int ChunkLength = 16 * 1024;

    /// <summary>Configures a generalized task-arithmetic merge.</summary>
    /// <param name="methodName">The merge method's name, used in error messages.</param>
    /// <param name="consensus">Sign consensus.</param>
    /// <param name="sparsification">Sparsifier applied to each task vector.</param>
    /// <param name="defaultNormalize">Value of <c>normalize</c> when the config omits it.</param>
    /// <param name="defaultRescale">Value of <c>rescale</c> when the config omits it.</param>
    /// <param name="rescaleMode">The rescaling applied when <c>rescale</c> is true.</param>
    public GeneralizedTaskArithmetic(
        string methodName,
        ConsensusMethod consensus,
        SparsificationMethod sparsification,
        bool defaultNormalize,
        bool defaultRescale,
        SparsificationRescale rescaleMode = SparsificationRescale.L1Norm)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(methodName);
        MethodName = methodName;
        Consensus = consensus;
        Sparsification = sparsification;
        DefaultNormalize = defaultNormalize;
        DefaultRescale = defaultRescale;
        RescaleMode = rescaleMode;
        PerModelParameters = sparsification switch
        {
            SparsificationMethod.MagnitudeOutliers => [WeightParameter, DensityParameter, GammaParameter],
            SparsificationMethod.DellaMagPrune => [WeightParameter, DensityParameter, EpsilonParameter],
            _ => [WeightParameter, DensityParameter],
        };
        Traits = new MergeMethodTraits
        {
            BaseModel = BaseModelUse.Required,
            MinModels = 1,
            PerModelParameters = PerModelParameters,
            IsRandomized = sparsification is SparsificationMethod.Random or SparsificationMethod.DellaMagPrune,
        };
    }

    /// <summary>The merge method's name.</summary>
    public string MethodName { get; }

    /// <summary>Sign consensus.</summary>
    public ConsensusMethod Consensus { get; }

    /// <summary>Sparsifier applied to each task vector.</summary>
    public SparsificationMethod Sparsification { get; }

    /// <summary>Value of <c>normalize</c> when the config omits it.</summary>
    public bool DefaultNormalize { get; }

    /// <summary>Value of <c>rescale</c> when the config omits it.</summary>
    public bool DefaultRescale { get; }

    /// <summary>The rescaling applied when <c>rescale</c> is true.</summary>
    public SparsificationRescale RescaleMode { get; }

    /// <summary>The per-model parameter names: weight, density, and gamma or epsilon where the sparsifier uses one.</summary>
    public IReadOnlyList<string> PerModelParameters { get; }

    /// <summary>Traits for <see cref="IMergeMethod.Traits"/>: a required base, the per-model names, randomness.</summary>
    public MergeMethodTraits Traits { get; }

    /// <summary>Checks one tensor's parameters: every model has a numeric weight, and the DELLA rule holds.</summary>
    /// <param name="globalParameters">Global parameters.</param>
    /// <param name="modelParameters">Per-model parameters, in config order.</param>
    /// <returns>One message per problem.</returns>
    public IReadOnlyList<string> ValidateParameters(StrategyParameters globalParameters, IReadOnlyList<StrategyParameters> modelParameters)
    {
        ArgumentNullException.ThrowIfNull(globalParameters);
        ArgumentNullException.ThrowIfNull(modelParameters);
        var problems = new List<string>();
        Collect(problems, () => ReadGlobals(globalParameters));
        for (var i = 0; i < modelParameters.Count; i++)
        {
            var label = string.Create(CultureInfo.InvariantCulture, $"model {i + 1} of {modelParameters.Count}");
            Collect(problems, () => ReadModel(modelParameters[i], globalParameters, label));
        }

        return problems;
    }

    /// <summary>Merges one tensor into <see cref="MergeTensorContext.Output"/>, writing every element.</summary>
    /// <param name="context">Inputs, parameters and output.</param>
    /// <param name="cancellationToken">Checked between task vectors and chunks.</param>
    /// <exception cref="MedleyException">When the base is missing or a parameter is missing or out of range.</exception>
    public void MergeTensor(MergeTensorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var baseInput = context.RequireBaseModel(MethodName);
        var globals = ReadGlobals(context.Parameters, context.TensorName);
        var models = new ModelSettings[context.Models.Count];
        for (var i = 0; i < models.Length; i++)
        {
            var input = context.Models[i];
            models[i] = ReadModel(input.Parameters, context.Parameters, $"tensor '{context.TensorName}', model '{input.ModelName}'");
        }

        var weights = models.Select(m => m.Weight).ToArray();
        var sparsifies = Sparsification != SparsificationMethod.None && models.Any(m => m.Density < 1);
        if (sparsifies)
        {
            MergeWholeTensor(context, baseInput, models, weights, globals, cancellationToken);
        }
        else
        {
            MergeInChunks(context, baseInput, weights, globals, cancellationToken);
        }
    }

    private void MergeInChunks(MergeTensorContext context, MergeInput baseInput, float[] weights, GlobalSettings globals, CancellationToken cancellationToken)
    {
        var count = context.ElementCount;
        var modelCount = weights.Length;
        var chunk = Math.Min(ChunkLength, Math.Max(count, 1));
        var buffer = ArrayPool<float>.Shared.Rent(chunk * modelCount);
        try
        {
            var deltas = new ReadOnlyMemory<float>[modelCount];
            for (var start = 0; start < count; start += chunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var length = Math.Min(chunk, count - start);
                var baseValues = baseInput.Data.Span.Slice(start, length);
                for (var i = 0; i < modelCount; i++)
                {
                    var delta = buffer.AsMemory(i * chunk, length);
                    TaskVector.Compute(context.Models[i].Data.Span.Slice(start, length), baseValues, delta.Span);
                    deltas[i] = delta;
                }

                TaskVectorCombiner.Combine(baseValues, deltas, weights, Consensus, globals.Normalize, globals.Lambda, context.Output.Span.Slice(start, length));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private void MergeWholeTensor(MergeTensorContext context, MergeInput baseInput, ModelSettings[] models, float[] weights, GlobalSettings globals, CancellationToken cancellationToken)
    {
        var count = context.ElementCount;
        var buffers = new float[models.Length][];
        try
        {
            var deltas = new ReadOnlyMemory<float>[models.Length];
            for (var i = 0; i < models.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                buffers[i] = ArrayPool<float>.Shared.Rent(count);
                var delta = buffers[i].AsSpan(0, count);
                TaskVector.Compute(context.Models[i].Data.Span, baseInput.Data.Span, delta);
                Sparsify(context, i, models[i], globals.Rescale ? RescaleMode : SparsificationRescale.None, delta);
                deltas[i] = buffers[i].AsMemory(0, count);
            }

            cancellationToken.ThrowIfCancellationRequested();
            TaskVectorCombiner.Combine(baseInput.Data.Span, deltas, weights, Consensus, globals.Normalize, globals.Lambda, context.Output.Span);
        }
        finally
        {
            foreach (var buffer in buffers)
            {
                if (buffer is not null)
                {
                    ArrayPool<float>.Shared.Return(buffer);
                }
            }
        }
    }

    private void Sparsify(MergeTensorContext context, int modelIndex, ModelSettings model, SparsificationRescale rescale, Span<float> delta)
    {
        if (model.Density >= 1)
        {
            return;
        }

        var originalL1Norm = rescale == SparsificationRescale.L1Norm ? SparsificationRescaling.L1Norm(delta) : 0.0;
        switch (Sparsification)
        {
            case SparsificationMethod.Magnitude:
                MagnitudeSparsifier.Sparsify(delta, model.Density);
                break;
            case SparsificationMethod.Random:
                RandomSparsifier.Sparsify(delta, model.Density, context.CreateRandom(modelIndex));
                break;
            case SparsificationMethod.MagnitudeOutliers:
                MagnitudeOutlierSparsifier.Sparsify(delta, model.Density, model.Gamma);
                break;
            case SparsificationMethod.DellaMagPrune:
                DellaMagPruneSparsifier.Sparsify(delta, context.RowLength, model.Density, model.Epsilon, context.CreateRandom(modelIndex));
                break;
            default:
                return;
        }

        SparsificationRescaling.Apply(delta, originalL1Norm, model.Density, rescale);
    }

    private GlobalSettings ReadGlobals(StrategyParameters parameters, string? tensorName = null)
    {
        var where = tensorName is null ? string.Empty : $" (tensor '{tensorName}')";
        var lambda = parameters.GetDouble(LambdaParameter, DefaultLambda);
        if (!double.IsFinite(lambda))
        {
            throw Invalid($"'{LambdaParameter}' must be a finite number{where}.");
        }

        return new GlobalSettings(
            parameters.GetBoolean(NormalizeParameter, DefaultNormalize),
            parameters.GetBoolean(RescaleParameter, DefaultRescale),
            (float)lambda);
    }

    private ModelSettings ReadModel(StrategyParameters model, StrategyParameters globals, string label)
    {
        var weight = Number(model, globals, WeightParameter, null, label);
        var density = Number(model, globals, DensityParameter, DefaultDensity, label);
        if (density is < 0 or > 1)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"{label}: '{DensityParameter}' is {density}; expected a number in [0, 1]."));
        }

        var gamma = DefaultGamma;
        var epsilon = DefaultEpsilon;
        if (Sparsification == SparsificationMethod.MagnitudeOutliers)
        {
            gamma = Number(model, globals, GammaParameter, DefaultGamma, label);
            if (gamma is < 0 or > 1)
            {
                throw Invalid(string.Create(CultureInfo.InvariantCulture, $"{label}: '{GammaParameter}' is {gamma}; expected a number in [0, 1]."));
            }
        }

        if (Sparsification == SparsificationMethod.DellaMagPrune)
        {
            epsilon = Number(model, globals, EpsilonParameter, DefaultEpsilon, label);
            var problem = DellaMagPruneSparsifier.CheckParameters(density, epsilon);
            if (problem is not null)
            {
                throw Invalid($"{label}: {problem}");
            }
        }

        return new ModelSettings((float)weight, density, gamma, epsilon);
    }

    private double Number(StrategyParameters model, StrategyParameters globals, string name, double? defaultValue, string label)
    {
        var source = model.Contains(name) ? model : globals.Contains(name) ? globals : null;
        if (source is null)
        {
            return defaultValue ?? throw new MedleyException(
                "parameter.missing",
                $"{label}: merge method '{MethodName}' needs a per-model '{name}' (a number), but none was given.");
        }

        double value;
        try
        {
            value = source.GetRequiredDouble(name);
        }
        catch (MedleyException ex)
        {
            throw new MedleyException(ex.Code, $"{label}: {ex.Message}", innerException: ex);
        }

        return double.IsFinite(value) ? value : throw Invalid($"{label}: '{name}' must be a finite number.");
    }

    private static MedleyException Invalid(string message) => new("parameter.invalid", message);

    private static void Collect(List<string> problems, Action check)
    {
        try
        {
            check();
        }
        catch (MedleyException ex)
        {
            problems.Add(ex.Message);
        }
    }

    private readonly record struct GlobalSettings(bool Normalize, bool Rescale, float Lambda);

    private readonly record struct ModelSettings(float Weight, double Density, double Gamma, double Epsilon);
}
