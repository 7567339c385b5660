using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Medley.Host.Merging.Configuration;

/// <summary>
/// Writes a config back as canonical mergekit-format YAML (saved as <c>medley_config.yml</c> beside a merge):
/// fixed key order, numeric lists in flow style as mergekit writes them, model references as the config named them.
/// Reading the output back gives the same config.
/// </summary>
internal static class MergeConfigYamlWriter
{
    /// <summary>Serializes a config.</summary>
    /// <param name="config">The config.</param>
    /// <returns>YAML text.</returns>
    public static string Write(MergeConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var root = new Dictionary<string, object>(StringComparer.Ordinal);
        AddString(root, "name", config.Name);
        AddString(root, "merge_method", config.MergeMethod);
        AddString(root, "base_model", config.BaseModel?.Name);
        AddString(root, "dtype", config.Dtype);
        AddString(root, "out_dtype", config.OutDtype);
        AddString(root, "tokenizer_source", config.TokenizerSource);
        AddString(root, "chat_template", config.ChatTemplate);
        AddParameters(root, config.Parameters);
        if (config.Models is not null)
        {
            root["models"] = config.Models.Select(m => Entry(("model", m.Model.Name), m.Parameters)).ToList();
        }

        if (config.Slices is not null)
        {
            root["slices"] = config.Slices.Select(Slice).ToList();
        }

        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, root);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static object Slice(MergeSlice slice)
    {
        var map = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["sources"] = slice.Sources
                .Select(s =>
                {
                    var source = Entry(("model", s.Model.Name), new Dictionary<string, ParameterSetting>());
                    source["layer_range"] = new List<object> { JsonValue.Create(s.LayerStart), JsonValue.Create(s.LayerEnd) };
                    AddParameters(source, s.Parameters);
                    return (object)source;
                })
                .ToList(),
        };
        AddString(map, "base_model", slice.BaseModel?.Name);
        AddParameters(map, slice.Parameters);
        return map;
    }

    private static Dictionary<string, object> Entry((string Key, string Value) first, IReadOnlyDictionary<string, ParameterSetting> parameters)
    {
        var map = new Dictionary<string, object>(StringComparer.Ordinal) { [first.Key] = JsonValue.Create(first.Value) };
        AddParameters(map, parameters);
        return map;
    }

    private static void AddString(Dictionary<string, object> map, string key, string? value)
    {
        if (value is not null)
        {
            map[key] = JsonValue.Create(value);
        }
    }

    private static void AddParameters(Dictionary<string, object> map, IReadOnlyDictionary<string, ParameterSetting> parameters)
    {
        if (parameters.Count > 0)
        {
            map["parameters"] = parameters.ToDictionary(p => p.Key, p => p.Value.ToPlainData(), StringComparer.Ordinal);
        }
    }

    private static void Emit(Emitter emitter, object value)
    {
        switch (value)
        {
            case IReadOnlyDictionary<string, object> map:
                emitter.Emit(new MappingStart());
                foreach (var (key, item) in map)
                {
                    EmitScalar(emitter, JsonValue.Create(key));
                    Emit(emitter, item);
                }

                emitter.Emit(new MappingEnd());
                break;
            case IEnumerable<double> numbers:
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, SequenceStyle.Flow));
                foreach (var number in numbers)
                {
                    EmitScalar(emitter, JsonValue.Create(number));
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue scalar:
                EmitScalar(emitter, scalar);
                break;
            case System.Collections.IEnumerable items:
                var list = items.Cast<object>().ToList();
                var flow = list.TrueForAll(i => i is JsonValue v && YamlScalars.IsNumber(v));
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, flow ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            default:
                throw new InvalidOperationException($"Cannot write {value.GetType().Name} as YAML.");
        }
    }

    private static void EmitScalar(Emitter emitter, JsonValue value)
    {
        var kind = value.GetValueKind();
        var text = kind == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();

        // A string that would read back as a number, boolean or null must be quoted to stay a string.
        var style = kind == JsonValueKind.String && !ReadsBackAsString(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, text, style, isPlainImplicit: true, isQuotedImplicit: true));
    }

    private static bool ReadsBackAsString(string text) =>
        YamlScalars.ToJson(new YamlScalarNode(text) { Style = ScalarStyle.Plain }) is { } typed && typed.GetValueKind() == JsonValueKind.String;
}
