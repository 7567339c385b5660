using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Medley.Host.Merging.Configuration;

/// <summary>
/// Reads mergekit-format YAML into a <see cref="MergeConfig"/>, recording every structural problem (unknown keys,
/// wrong shapes, unusable model references) instead of stopping at the first.
/// </summary>
internal sealed class MergeConfigParser
{
    /// <summary>Marks a source whose <c>layer_range</c> could not be read (already reported); validation skips it.</summary>
    public const int UnreadableLayer = -1;

    private static readonly string[] _topKeys =
        ["models", "slices", "modules", "merge_method", "base_model", "parameters", "dtype", "out_dtype", "tokenizer_source", "tokenizer", "chat_template", "name"];

    private static readonly string[] _modelKeys = ["model", "parameters"];
    private static readonly string[] _sliceKeys = ["sources", "base_model", "parameters"];
    private static readonly string[] _sourceKeys = ["model", "layer_range", "parameters"];
    private static readonly string[] _filterKeys = ["filter", "value"];

    private readonly string _configFolder;
    private readonly ConfigProblems _problems;

    private MergeConfigParser(string configFolder, ConfigProblems problems)
    {
        _configFolder = configFolder;
        _problems = problems;
    }

    /// <summary>Parses a config.</summary>
    /// <param name="yaml">The YAML text.</param>
    /// <param name="source">The file name, for messages.</param>
    /// <param name="configFolder">The folder relative model paths are taken from.</param>
    /// <param name="problems">Where problems go.</param>
    /// <returns>The config, or <see langword="null"/> when the text is not a YAML mapping at all.</returns>
    public static MergeConfig? Parse(string yaml, string source, string configFolder, ConfigProblems problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            problems.Add(string.Empty, $"YAML syntax error at line {ex.Start.Line}, column {ex.Start.Column}: {ex.Message}");
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's representation model gives up on some malformed input without a position; find it by
            // replaying the raw events up to where they stop.
            problems.Add(string.Empty, $"YAML syntax error near {LastGoodPosition(yaml)}: the document is malformed after that point");
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add(string.Empty, "expected a mapping with merge_method and models or slices, but the file " +
                (stream.Documents.Count == 0 ? "is empty" : $"holds {YamlScalars.Describe(stream.Documents[0].RootNode)}"));
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            problems.Add(string.Empty, $"expected one YAML document, found {stream.Documents.Count}");
        }

        return new MergeConfigParser(configFolder, problems).ReadTop(root, source);
    }

    private static string LastGoodPosition(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        var last = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                last = parser.Current!.End;
            }
        }
        catch (YamlException ex)
        {
            return $"line {ex.Start.Line}, column {ex.Start.Column} ({ex.Message})";
        }
        catch (InvalidOperationException)
        {
            // The scanner itself failed; the end of the last event it produced is the best position known.
        }

        return $"line {last.Line}, column {last.Column}";
    }

    private MergeConfig ReadTop(YamlMappingNode root, string source)
    {
        var map = ReadMapping(root, string.Empty, _topKeys);
        if (map.ContainsKey("modules"))
        {
            _problems.Add("modules", "'modules' (multi-module merges) is not supported yet; use 'models' or 'slices'");
        }

        if (map.ContainsKey("tokenizer"))
        {
            _problems.Add("tokenizer", "the 'tokenizer' block is not supported yet; use 'tokenizer_source: base' or 'tokenizer_source: <model>'");
        }

        var hasModels = map.TryGetValue("models", out var modelsNode);
        var hasSlices = map.TryGetValue("slices", out var slicesNode);
        if (hasModels == hasSlices && !map.ContainsKey("modules"))
        {
            _problems.Add(string.Empty, hasModels
                ? "give either 'models' or 'slices', not both"
                : "expected 'models' (models to merge) or 'slices' (output layer slices); the config has neither");
        }

        var mergeMethod = map.TryGetValue("merge_method", out var methodNode) ? ReadString(methodNode, "merge_method") : null;
        if (!map.ContainsKey("merge_method"))
        {
            _problems.Add("merge_method", "missing: name the merge method (e.g. ties, slerp, linear, passthrough)");
        }

        var tokenizerSource = map.TryGetValue("tokenizer_source", out var tokenizerNode) ? ReadString(tokenizerNode, "tokenizer_source") : null;
        if (tokenizerSource == "union")
        {
            _problems.Add("tokenizer_source", "'union' (building a union vocabulary) is not supported yet; use 'base' or the name of one of the models");
        }

        return new MergeConfig
        {
            Source = source,
            MergeMethod = mergeMethod ?? string.Empty,
            BaseModel = map.TryGetValue("base_model", out var baseNode) ? ReadModel(baseNode, "base_model") : null,
            Models = hasModels && !hasSlices ? ReadModels(modelsNode!) : null,
            Slices = hasSlices && !hasModels ? ReadSlices(slicesNode!) : null,
            Parameters = ReadParameters(map, "parameters", string.Empty),
            Dtype = map.TryGetValue("dtype", out var dtypeNode) ? ReadDtype(dtypeNode, "dtype") : null,
            OutDtype = map.TryGetValue("out_dtype", out var outNode) ? ReadDtype(outNode, "out_dtype") : null,
            TokenizerSource = tokenizerSource,
            ChatTemplate = map.TryGetValue("chat_template", out var templateNode) ? ReadString(templateNode, "chat_template") : null,
            Name = map.TryGetValue("name", out var nameNode) ? ReadString(nameNode, "name") : null,
        };
    }

    private List<MergeModelEntry> ReadModels(YamlNode node)
    {
        var entries = new List<MergeModelEntry>();
        if (!TryList(node, "models", out var items))
        {
            return entries;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var path = $"models[{i}]";
            var map = ReadMapping(items[i], path, _modelKeys);
            var model = ReadRequiredModel(map, path);
            var parameters = ReadParameters(map, "parameters", path);
            if (model is not null)
            {
                entries.Add(new MergeModelEntry(model, parameters));
            }
        }

        return entries;
    }

    private List<MergeSlice> ReadSlices(YamlNode node)
    {
        var slices = new List<MergeSlice>();
        if (!TryList(node, "slices", out var items))
        {
            return slices;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var path = $"slices[{i}]";
            var map = ReadMapping(items[i], path, _sliceKeys);
            var sources = new List<MergeSliceSource>();
            if (!map.TryGetValue("sources", out var sourcesNode))
            {
                _problems.Add($"{path}.sources", "missing: a slice needs a list of sources ({model, layer_range})");
            }
            else if (TryList(sourcesNode, $"{path}.sources", out var sourceItems))
            {
                for (var j = 0; j < sourceItems.Count; j++)
                {
                    var sourcePath = $"{path}.sources[{j}]";
                    var sourceMap = ReadMapping(sourceItems[j], sourcePath, _sourceKeys);
                    var model = ReadRequiredModel(sourceMap, sourcePath);
                    var (start, end) = ReadLayerRange(sourceMap, sourcePath);
                    var parameters = ReadParameters(sourceMap, "parameters", sourcePath);
                    if (model is not null)
                    {
                        sources.Add(new MergeSliceSource(model, start, end, parameters));
                    }
                }
            }

            var baseModel = map.TryGetValue("base_model", out var baseNode) ? ReadModel(baseNode, $"{path}.base_model") : null;
            slices.Add(new MergeSlice(sources, baseModel, ReadParameters(map, "parameters", path)));
        }

        return slices;
    }

    private (int Start, int End) ReadLayerRange(Dictionary<string, YamlNode> map, string path)
    {
        path += ".layer_range";
        if (!map.TryGetValue("layer_range", out var node))
        {
            _problems.Add(path, "missing: expected [first, end) as two whole numbers, e.g. [0, 24]");
            return (UnreadableLayer, UnreadableLayer);
        }

        if (node is YamlSequenceNode { Children.Count: 2 } pair
            && YamlScalars.ToWholeNumber(pair.Children[0]) is { } start
            && YamlScalars.ToWholeNumber(pair.Children[1]) is { } end
            && start is >= int.MinValue and <= int.MaxValue && end is >= int.MinValue and <= int.MaxValue)
        {
            return ((int)start, (int)end);
        }

        _problems.Add(path, $"expected [first, end) as two whole numbers, e.g. [0, 24], got {Describe(node)}");
        return (UnreadableLayer, UnreadableLayer);
    }

    private Dictionary<string, ParameterSetting> ReadParameters(Dictionary<string, YamlNode> owner, string key, string ownerPath)
    {
        var path = ownerPath.Length == 0 ? key : $"{ownerPath}.{key}";
        var parameters = new Dictionary<string, ParameterSetting>(StringComparer.Ordinal);
        if (!owner.TryGetValue(key, out var node) || IsNull(node))
        {
            return parameters;
        }

        if (node is not YamlMappingNode mapping)
        {
            _problems.Add(path, $"expected a mapping of parameter names to values, got {Describe(node)}");
            return parameters;
        }

        foreach (var (nameNode, valueNode) in mapping.Children)
        {
            var name = KeyText(nameNode);
            var setting = ReadSetting(valueNode, $"{path}.{name}", allowFilters: true);
            if (setting is not null)
            {
                parameters[name] = setting;
            }
        }

        return parameters;
    }

    private ParameterSetting? ReadSetting(YamlNode node, string path, bool allowFilters)
    {
        switch (node)
        {
            case YamlScalarNode scalar:
                // A null value means "not given" (mergekit falls through to the next level).
                return YamlScalars.ToJson(scalar) is { } value ? new ScalarParameterSetting(value) : null;
            case YamlSequenceNode { Children.Count: 0 }:
                _problems.Add(path, "expected a value, a list of numbers (gradient) or a list of {filter, value} entries, got an empty list");
                return InvalidParameterSetting.Instance;
            case YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode):
                return ReadScalarList(list, path);
            case YamlSequenceNode list when allowFilters && list.Children.All(c => c is YamlMappingNode):
                var entries = new List<ParameterFilter>();
                for (var i = 0; i < list.Children.Count; i++)
                {
                    if (ReadFilter((YamlMappingNode)list.Children[i], $"{path}[{i}]") is { } entry)
                    {
                        entries.Add(entry);
                    }
                }

                return entries.Count == list.Children.Count ? new FilteredParameterSetting(entries) : InvalidParameterSetting.Instance;
            case YamlMappingNode single when allowFilters:
                return ReadFilter(single, path) is { } only ? new FilteredParameterSetting([only]) : InvalidParameterSetting.Instance;
            default:
                _problems.Add(path, allowFilters
                    ? $"expected a value, a list of numbers (gradient) or a list of {{filter, value}} entries, got {Describe(node)}"
                    : $"expected a value or a list of numbers (gradient), got {Describe(node)}");
                return InvalidParameterSetting.Instance;
        }
    }

    private ParameterSetting ReadScalarList(YamlSequenceNode list, string path)
    {
        var values = list.Children.Select(c => YamlScalars.ToJson((YamlScalarNode)c)).ToList();
        if (values.Any(v => v is null))
        {
            _problems.Add(path, "a list value may not contain null");
            return InvalidParameterSetting.Instance;
        }

        if (values.TrueForAll(v => YamlScalars.IsNumber(v!)))
        {
            return new GradientParameterSetting(values.Select(v => YamlScalars.ToDouble(v!)).ToList());
        }

        if (values.Exists(v => YamlScalars.IsNumber(v!)))
        {
            _problems.Add(path, "a list mixes numbers with other values; a gradient holds numbers only");
            return InvalidParameterSetting.Instance;
        }

        return new SteppedParameterSetting(values!);
    }

    private ParameterFilter? ReadFilter(YamlMappingNode node, string path)
    {
        var map = ReadMapping(node, path, _filterKeys);
        var filter = map.TryGetValue("filter", out var filterNode) ? ReadString(filterNode, $"{path}.filter") : null;
        if (!map.TryGetValue("value", out var valueNode))
        {
            _problems.Add($"{path}.value", "missing: a filter entry needs a value");
            return null;
        }

        var value = ReadSetting(valueNode, $"{path}.value", allowFilters: false);
        return value is null or InvalidParameterSetting ? null : new ParameterFilter(filter, value);
    }

    private ModelReference? ReadRequiredModel(Dictionary<string, YamlNode> map, string path)
    {
        if (map.TryGetValue("model", out var node))
        {
            return ReadModel(node, $"{path}.model");
        }

        _problems.Add($"{path}.model", "missing: name the model folder");
        return null;
    }

    private ModelReference? ReadModel(YamlNode node, string path)
    {
        if (ReadString(node, path) is not { } reference)
        {
            return null;
        }

        var model = ModelReferenceResolver.Resolve(reference, _configFolder, out var problem);
        if (problem is not null)
        {
            _problems.Add(path, problem);
        }

        return model;
    }

    private string? ReadDtype(YamlNode node, string path)
    {
        var text = ReadString(node, path);
        if (text is not null and not ("float32" or "float16" or "bfloat16"))
        {
            _problems.Add(path, $"expected float32, float16 or bfloat16, got \"{text}\"");
            return null;
        }

        return text;
    }

    private string? ReadString(YamlNode node, string path)
    {
        if (node is YamlScalarNode scalar && YamlScalars.ToJson(scalar) is not null)
        {
            return scalar.Value;
        }

        _problems.Add(path, $"expected a string, got {Describe(node)}");
        return null;
    }

    private bool TryList(YamlNode node, string path, out IList<YamlNode> items)
    {
        if (node is YamlSequenceNode list && list.Children.Count > 0)
        {
            items = list.Children;
            return true;
        }

        _problems.Add(path, node is YamlSequenceNode ? "expected at least one entry, got an empty list" : $"expected a list, got {Describe(node)}");
        items = [];
        return false;
    }

    private Dictionary<string, YamlNode> ReadMapping(YamlNode node, string path, IReadOnlyList<string> knownKeys)
    {
        var map = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        if (node is not YamlMappingNode mapping)
        {
            _problems.Add(path, $"expected a mapping, got {Describe(node)}");
            return map;
        }

        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = KeyText(keyNode);
            if (knownKeys.Contains(key))
            {
                map[key] = value;
            }
            else
            {
                var keyPath = path.Length == 0 ? key : $"{path}.{key}";
                _problems.Add(keyPath, $"unknown key '{key}' (line {keyNode.Start.Line}); expected one of: {string.Join(", ", knownKeys)}");
            }
        }

        return map;
    }

    private static string KeyText(YamlNode key) => key is YamlScalarNode scalar ? scalar.Value ?? string.Empty : key.ToString();

    private static bool IsNull(YamlNode node) => node is YamlScalarNode scalar && YamlScalars.ToJson(scalar) is null;

    private static string Describe(YamlNode node) => YamlScalars.Describe(node);
}
