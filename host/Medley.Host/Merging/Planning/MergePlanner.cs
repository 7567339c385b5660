using Medley.Host.Merging.Configuration;
using Medley.Sdk;

namespace Medley.Host.Merging.Planning;

/// <summary>
/// Turns a validated config and the tensor names and shapes of each model into the ordered list of output tensors,
/// as mergekit plans them: the tensors before the layers (embeddings) come from the first slice's sources at t = 0;
/// each slice then contributes its layers, renumbered consecutively in the output, with t = i/(n−1) within the
/// slice (t = 1 for a one-layer slice); the tensors after the layers (final norm, lm_head) come from the last
/// slice's sources at t = 1. Every problem found (missing tensors, shape mismatches, parameters that resolve to
/// nothing, the method's own parameter checks) is reported at once, code <c>merge.plan.invalid</c>.
/// </summary>
internal sealed class MergePlanner
{
    /// <summary>The stable error code for a plan that cannot be made.</summary>
    public const string ErrorCode = "merge.plan.invalid";

    private readonly ValidatedMergeConfig _config;
    private readonly ParameterResolver _resolver;
    private readonly Dictionary<string, ModelTensorIndex> _models;
    private readonly List<PlannedTensor> _tensors = [];
    private readonly Dictionary<string, (string Message, string FirstTensor, int Count)> _problems = new(StringComparer.Ordinal);
    private string _outputPrefix = string.Empty;

    private MergePlanner(ValidatedMergeConfig config, IReadOnlyDictionary<string, IReadOnlyDictionary<string, long[]>> tensorsByModel)
    {
        _config = config;
        _resolver = new ParameterResolver(config);
        _models = new Dictionary<string, ModelTensorIndex>(StringComparer.Ordinal);
        foreach (var model in config.Slices.SelectMany(s => s.Sources).Select(s => s.Model.Name).Distinct())
        {
            _models[model] = tensorsByModel.TryGetValue(model, out var tensors)
                ? new ModelTensorIndex(tensors)
                : throw new ArgumentException($"No tensor list was given for model '{model}'.", nameof(tensorsByModel));
        }
    }

    /// <summary>Plans a merge.</summary>
    /// <param name="config">The validated config.</param>
    /// <param name="tensorsByModel">For each model name the config uses, its tensor names and shapes.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="MedleyException">When tensors are missing, shapes disagree or parameters do not resolve.</exception>
    public static TensorPlan Plan(ValidatedMergeConfig config, IReadOnlyDictionary<string, IReadOnlyDictionary<string, long[]>> tensorsByModel)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tensorsByModel);
        return new MergePlanner(config, tensorsByModel).Run();
    }

    private TensorPlan Run()
    {
        var slices = _config.Slices;
        var firstReference = ReferenceSource(slices[0]);
        _outputPrefix = _models[firstReference.Model.Name].LayerPrefix ?? "model.layers.";

        PlanOutsideLayers(slices[0], beforeLayers: true, t: 0);
        var outputLayer = 0;
        foreach (var slice in slices)
        {
            var count = slice.Sources[0].LayerCount;
            for (var offset = 0; offset < count; offset++)
            {
                PlanLayer(slice, offset, outputLayer++, count > 1 ? offset / (double)(count - 1) : 1);
            }
        }

        PlanOutsideLayers(slices[^1], beforeLayers: false, t: 1);

        if (_problems.Count > 0)
        {
            var lines = _problems.Values
                .Select(p => p.Count == 1 ? $"{p.Message} (tensor '{p.FirstTensor}')" : $"{p.Message} (tensor '{p.FirstTensor}' and {p.Count - 1} more)")
                .ToList();
            throw new MedleyException(
                ErrorCode,
                $"Cannot plan the merge of '{_config.Config.Source}' ({lines.Count} problems):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", lines)}",
                details: lines);
        }

        var key = _config.LayerCounts.TryGetValue(firstReference.Model.Name, out var layerCount) ? layerCount.Key : "num_hidden_layers";
        return new TensorPlan(_tensors, outputLayer, key);
    }

    private MergeSliceSource ReferenceSource(MergeSlice slice)
    {
        var baseModel = _config.BaseFor(slice);
        return slice.Sources.FirstOrDefault(s => s.Model.Name == baseModel?.Name) ?? slice.Sources[0];
    }

    private void PlanOutsideLayers(MergeSlice slice, bool beforeLayers, double t)
    {
        var reference = _models[ReferenceSource(slice).Model.Name];
        foreach (var name in reference.NonLayerTensors.Where(n => LayerTensorName.IsBeforeLayers(n) == beforeLayers))
        {
            PlanTensor(name, slice, _ => name, t, layer: null);
        }
    }

    private void PlanLayer(MergeSlice slice, int offset, int outputLayer, double t)
    {
        var reference = ReferenceSource(slice);
        foreach (var suffix in _models[reference.Model.Name].LayerSuffixes(reference.LayerStart + offset))
        {
            PlanTensor(
                LayerTensorName.Format(_outputPrefix, outputLayer, suffix),
                slice,
                source => LayerTensorName.Format(_models[source.Model.Name].LayerPrefix ?? _outputPrefix, source.LayerStart + offset, suffix),
                t,
                outputLayer);
        }
    }

    private void PlanTensor(string outputName, MergeSlice slice, Func<MergeSliceSource, string> sourceName, double t, int? layer)
    {
        var baseModel = _config.BaseFor(slice);
        PlannedInput? baseInput = null;
        var inputs = new List<PlannedInput>();
        var complete = true;
        foreach (var source in slice.Sources.DistinctBy(s => s.Model.Name))
        {
            var name = sourceName(source);
            if (!_models[source.Model.Name].Shapes.TryGetValue(name, out var shape))
            {
                Report($"missing:{source.Model.Name}", outputName, $"model '{source.Model.Name}' has no tensor '{name}'");
                complete = false;
                continue;
            }

            var input = new PlannedInput(source.Model.Name, name, shape, _resolver.PerModel(slice, source.Model.Name, name, t));
            if (source.Model.Name == baseModel?.Name)
            {
                baseInput = input;
            }
            else
            {
                inputs.Add(input);
            }
        }

        if (!complete)
        {
            return;
        }

        var reference = baseInput ?? inputs[0];
        var all = baseInput is null ? inputs : inputs.Prepend(baseInput).ToList();
        var mismatched = all.Where(i => !i.Shape.SequenceEqual(reference.Shape)).ToList();
        var mergeShape = reference.Shape;
        if (mismatched.Count > 0)
        {
            var resizable = _config.Method.Traits.AllowsEmbeddingResize
                && LayerTensorName.IsVocabularyMatrix(outputName)
                && mismatched.TrueForAll(i => i.Shape.Count == reference.Shape.Count);
            if (!resizable)
            {
                Report(
                    $"shape:{outputName}",
                    outputName,
                    $"shapes differ: {string.Join(", ", all.Select(i => $"'{i.ModelName}' {Format(i.Shape)}"))}" +
                    (LayerTensorName.IsVocabularyMatrix(outputName) ? $"; merge method '{_config.Method.Name}' does not merge vocabulary matrices of different sizes" : string.Empty));
                return;
            }

            mergeShape = Enumerable.Range(0, reference.Shape.Count).Select(d => all.Min(i => i.Shape[d])).ToList();
        }

        var parameters = _resolver.Global(slice, outputName, t);
        CheckParameters(outputName, parameters, inputs);
        _tensors.Add(new PlannedTensor(outputName, reference.Shape, mergeShape, inputs, baseInput, parameters, layer, t));
    }

    private void CheckParameters(string tensorName, StrategyParameters parameters, List<PlannedInput> inputs)
    {
        var method = _config.Method;
        foreach (var name in method.Schema.Required)
        {
            if (!method.IsPerModel(name) && !parameters.Contains(name))
            {
                Report($"required:{name}", tensorName, $"parameter '{name}' resolves to nothing (no filter matches and no entry without a filter)");
            }
            else if (method.IsPerModel(name))
            {
                foreach (var input in inputs.Where(i => !i.Parameters.Contains(name)))
                {
                    Report($"required:{name}:{input.ModelName}", tensorName, $"parameter '{name}' of model '{input.ModelName}' resolves to nothing (no filter matches and no entry without a filter)");
                }
            }
        }

        if (method.ValidateParameters is { } validate)
        {
            foreach (var message in validate(parameters, inputs.Select(i => i.Parameters).ToList()))
            {
                Report($"method:{message}", tensorName, $"merge method '{method.Name}': {message}");
            }
        }
    }

    private void Report(string key, string tensorName, string message) =>
        _problems[key] = _problems.TryGetValue(key, out var seen) ? seen with { Count = seen.Count + 1 } : (message, tensorName, 1);

    private static string Format(IReadOnlyList<long> shape) => $"[{string.Join(", ", shape)}]";
}
