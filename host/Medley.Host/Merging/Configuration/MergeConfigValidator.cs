using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Host.Merging.Configuration;

/// <summary>
/// Checks a parsed config against the merge method and the model folders (layer counts), before any tensor is
/// read, recording every problem.
/// </summary>
internal sealed class MergeConfigValidator
{
    private readonly MergeConfig _config;
    private readonly ConfigProblems _problems;
    private readonly Dictionary<string, ModelLayerCount> _layerCounts = new(StringComparer.Ordinal);

    private MergeConfigValidator(MergeConfig config, ConfigProblems problems)
    {
        _config = config;
        _problems = problems;
    }

    private bool IsModelsMode => _config.Models is not null;

    /// <summary>Validates a config.</summary>
    /// <param name="config">The parsed config.</param>
    /// <param name="catalog">The registered merge methods.</param>
    /// <param name="layerCountReader">Reads layer counts of model folders.</param>
    /// <param name="problems">Where problems go.</param>
    /// <returns>The validated config, or <see langword="null"/> when the method is unknown or problems were found.</returns>
    public static ValidatedMergeConfig? Validate(MergeConfig config, IMergeMethodCatalog catalog, IModelLayerCountReader layerCountReader, ConfigProblems problems)
    {
        var validator = new MergeConfigValidator(config, problems);
        validator.ReadLayerCounts(layerCountReader);
        MergeMethodInfo? method = null;
        if (config.MergeMethod.Length > 0 && !catalog.TryGet(config.MergeMethod, out method))
        {
            problems.Add("merge_method", $"unknown merge method '{config.MergeMethod}'; registered methods: {string.Join(", ", catalog.Names.Order(StringComparer.Ordinal))}");
        }

        var slices = ValidatedMergeConfig.EffectiveSlices(config, m => validator._layerCounts.GetValueOrDefault(m.Name)?.Count ?? 0);
        validator.CheckLayers();
        validator.CheckTokenizerSource();
        if (method is not null)
        {
            validator.CheckBaseAndCounts(method, slices);
            validator.CheckParameterBlocks(method);
            validator.CheckRequiredParameters(method, slices);
        }

        return method is null || problems.Any ? null : new ValidatedMergeConfig(config, method, validator._layerCounts, slices);
    }

    private void ReadLayerCounts(IModelLayerCountReader reader)
    {
        foreach (var model in _config.ReferencedModels)
        {
            if (!Directory.Exists(model.Folder))
            {
                continue; // reported while parsing
            }

            try
            {
                _layerCounts[model.Name] = reader.Read(model.Folder);
            }
            catch (MedleyException ex)
            {
                _problems.Add(PathOf(model), $"cannot read the layer count of '{model.Name}': {ex.Message}");
            }
        }
    }

    private void CheckLayers()
    {
        if (IsModelsMode)
        {
            var counted = (_config.Models ?? []).Select(m => m.Model).Append(_config.BaseModel)
                .OfType<ModelReference>()
                .Where(m => _layerCounts.ContainsKey(m.Name))
                .DistinctBy(m => m.Name)
                .ToList();
            if (counted.Select(m => _layerCounts[m.Name].Count).Distinct().Count() > 1)
            {
                _problems.Add("models", $"the models have different layer counts ({string.Join(", ", counted.Select(m => $"'{m.Name}': {_layerCounts[m.Name].Count}"))}); merge models of one shape, or pick equal layer ranges with 'slices'");
            }

            return;
        }

        for (var i = 0; i < (_config.Slices ?? []).Count; i++)
        {
            var sources = _config.Slices![i].Sources;
            for (var j = 0; j < sources.Count; j++)
            {
                var source = sources[j];
                if (source.LayerStart == MergeConfigParser.UnreadableLayer || !_layerCounts.TryGetValue(source.Model.Name, out var count))
                {
                    continue;
                }

                if (source.LayerStart < 0 || source.LayerStart >= source.LayerEnd || source.LayerEnd > count.Count)
                {
                    _problems.Add($"slices[{i}].sources[{j}].layer_range", $"[{source.LayerStart}, {source.LayerEnd}] is not a layer range of '{source.Model.Name}', which has {count.Count} layers; expected [first, end) with 0 <= first < end <= {count.Count}");
                }
            }

            var readable = sources.Where(s => s.LayerStart != MergeConfigParser.UnreadableLayer).ToList();
            if (readable.Select(s => s.LayerCount).Distinct().Count() > 1)
            {
                _problems.Add($"slices[{i}].sources", $"the sources span different numbers of layers ({string.Join(", ", readable.Select(s => $"'{s.Model.Name}' [{s.LayerStart}, {s.LayerEnd}]: {s.LayerCount}"))}); every source of a slice must give the same number of layers");
            }
        }
    }

    private void CheckTokenizerSource()
    {
        if (_config.TokenizerSource is null or "base" or "union")
        {
            return;
        }

        if (!_config.ReferencedModels.Any(m => m.Name == _config.TokenizerSource))
        {
            _problems.Add("tokenizer_source", $"'{_config.TokenizerSource}' is neither 'base' nor a model named in the config ({string.Join(", ", _config.ReferencedModels.Select(m => $"'{m.Name}'"))})");
        }
    }

    private void CheckBaseAndCounts(MergeMethodInfo method, IReadOnlyList<MergeSlice> slices)
    {
        var traits = method.Traits;
        if (traits.BaseModel == BaseModelUse.Required && _config.BaseModel is null && slices.All(s => s.BaseModel is null))
        {
            _problems.Add("base_model", $"missing: merge method '{method.Name}' needs a base model (task vectors are taken relative to it)");
        }

        for (var i = 0; i < slices.Count; i++)
        {
            var slice = slices[i];
            var slicePath = IsModelsMode ? "models" : $"slices[{i}]";
            if (traits.BaseModel == BaseModelUse.Required && _config.BaseModel is null && slice.BaseModel is null && slices.Any(s => s.BaseModel is not null))
            {
                _problems.Add($"{slicePath}.base_model", $"missing: merge method '{method.Name}' needs a base model for every slice");
            }

            var baseModel = ValidatedMergeConfig.BaseFor(method, _config, slice);
            if (baseModel is not null && !IsModelsMode && !slice.Sources.Any(s => s.Model.Name == baseModel.Name))
            {
                _problems.Add($"{slicePath}.sources", $"the base model '{baseModel.Name}' is not among the slice's sources; add it as a source with a layer range of the same length");
            }

            var inputs = slice.Sources.Count(s => s.Model.Name != baseModel?.Name);
            var countPath = IsModelsMode ? "models" : $"{slicePath}.sources";
            var besides = baseModel is null ? string.Empty : " besides the base model";
            if (inputs < traits.MinModels)
            {
                _problems.Add(countPath, $"merge method '{method.Name}' needs at least {Models(traits.MinModels)}{besides}, got {inputs}");
            }
            else if (traits.MaxModels is { } max && inputs > max)
            {
                _problems.Add(countPath, $"merge method '{method.Name}' takes at most {Models(max)}{besides}, got {inputs}");
            }
        }
    }

    private void CheckParameterBlocks(MergeMethodInfo method)
    {
        CheckParameterBlock(method, _config.Parameters, "parameters", perModelBlock: false);
        for (var i = 0; i < (_config.Models ?? []).Count; i++)
        {
            CheckParameterBlock(method, _config.Models![i].Parameters, $"models[{i}].parameters", perModelBlock: true);
        }

        for (var i = 0; i < (_config.Slices ?? []).Count; i++)
        {
            var slice = _config.Slices![i];
            CheckParameterBlock(method, slice.Parameters, $"slices[{i}].parameters", perModelBlock: false);
            for (var j = 0; j < slice.Sources.Count; j++)
            {
                CheckParameterBlock(method, slice.Sources[j].Parameters, $"slices[{i}].sources[{j}].parameters", perModelBlock: true);
            }
        }
    }

    private void CheckParameterBlock(MergeMethodInfo method, IReadOnlyDictionary<string, ParameterSetting> block, string path, bool perModelBlock)
    {
        var schema = method.Schema;
        foreach (var (name, setting) in block)
        {
            var parameterPath = $"{path}.{name}";
            if (!schema.Properties.TryGetValue(name, out var property))
            {
                if (!schema.AllowsUndeclared)
                {
                    var known = schema.Properties.Count == 0 ? "it takes no parameters" : $"it takes: {string.Join(", ", schema.Properties.Keys)}";
                    _problems.Add(parameterPath, $"unknown parameter '{name}' for merge method '{method.Name}'; {known}");
                }

                continue;
            }

            if (perModelBlock && !method.IsPerModel(name))
            {
                _problems.Add(parameterPath, $"'{name}' is a global parameter of merge method '{method.Name}'; set it under the top-level or slice parameters, not per model");
            }

            if (setting.Leaves.Select(property.Check).FirstOrDefault(p => p is not null) is { } problem)
            {
                _problems.Add(parameterPath, problem);
            }
        }
    }

    private void CheckRequiredParameters(MergeMethodInfo method, IReadOnlyList<MergeSlice> slices)
    {
        foreach (var name in method.Schema.Required)
        {
            var globallySet = _config.Parameters.ContainsKey(name);
            if (!method.IsPerModel(name))
            {
                if (!globallySet && !slices.All(s => s.Parameters.ContainsKey(name)))
                {
                    _problems.Add($"parameters.{name}", $"missing: merge method '{method.Name}' requires parameter '{name}'");
                }

                continue;
            }

            for (var i = 0; i < slices.Count; i++)
            {
                var slice = slices[i];
                var baseModel = ValidatedMergeConfig.BaseFor(method, _config, slice);
                for (var j = 0; j < slice.Sources.Count; j++)
                {
                    var source = slice.Sources[j];
                    var isAppendedBase = IsModelsMode && j >= _config.Models!.Count;
                    if (source.Model.Name == baseModel?.Name || isAppendedBase || globallySet || slice.Parameters.ContainsKey(name) || source.Parameters.ContainsKey(name))
                    {
                        continue;
                    }

                    var path = IsModelsMode ? $"models[{j}].parameters.{name}" : $"slices[{i}].sources[{j}].parameters.{name}";
                    _problems.Add(path, $"missing: merge method '{method.Name}' requires '{name}' for model '{source.Model.Name}' (set it here, or once under the top-level parameters)");
                }
            }
        }
    }

    private string PathOf(ModelReference model)
    {
        if (_config.BaseModel?.Name == model.Name)
        {
            return "base_model";
        }

        for (var i = 0; i < (_config.Models ?? []).Count; i++)
        {
            if (_config.Models![i].Model.Name == model.Name)
            {
                return $"models[{i}].model";
            }
        }

        for (var i = 0; i < (_config.Slices ?? []).Count; i++)
        {
            var slice = _config.Slices![i];
            if (slice.BaseModel?.Name == model.Name)
            {
                return $"slices[{i}].base_model";
            }

            for (var j = 0; j < slice.Sources.Count; j++)
            {
                if (slice.Sources[j].Model.Name == model.Name)
                {
                    return $"slices[{i}].sources[{j}].model";
                }
            }
        }

        return model.Name;
    }

    private static string Models(int count) => count == 1 ? "1 model" : $"{count} models";
}
