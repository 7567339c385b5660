using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Medley.Host.Merging.Configuration;

/// <summary>
/// Typing of YAML scalars the way mergekit's YAML loader sees them: plain scalars may be null, booleans or
/// numbers; quoted ones are always strings. Numbers also accept exponents without a dot (1e-3), which
/// PyYAML would read as a string and mergekit would then reject.
/// </summary>
internal static partial class YamlScalars
{
    /// <summary>The typed value of a scalar.</summary>
    /// <param name="node">The scalar.</param>
    /// <returns>A number, boolean or string; <see langword="null"/> for YAML null.</returns>
    public static JsonValue? ToJson(YamlScalarNode node)
    {
        var text = node.Value ?? string.Empty;
        if (node.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }

        if (Integer().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return JsonValue.Create(whole);
        }

        if (Real().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }

    /// <summary>Whether a typed value is a number.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for numbers.</returns>
    public static bool IsNumber(JsonValue value) => value.GetValueKind() == JsonValueKind.Number;

    /// <summary>A number as double.</summary>
    /// <param name="value">A numeric value.</param>
    /// <returns>The number.</returns>
    public static double ToDouble(JsonValue value) =>
        value.TryGetValue<long>(out var whole) ? whole : value.GetValue<double>();

    /// <summary>The whole number a value holds, if it holds one.</summary>
    /// <param name="node">A node.</param>
    /// <returns>The number, or <see langword="null"/>.</returns>
    public static long? ToWholeNumber(YamlNode node) =>
        node is YamlScalarNode scalar && ToJson(scalar) is { } value && value.TryGetValue<long>(out var whole) ? whole : null;

    /// <summary>Describes a node for an error message.</summary>
    /// <param name="node">The node.</param>
    /// <returns>A short description.</returns>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => ToJson(scalar) switch
        {
            null => "nothing (null)",
            var value when value.GetValueKind() == JsonValueKind.String => $"the string \"{value.GetValue<string>()}\"",
            var value => value.ToJsonString(),
        },
        _ => node.NodeType.ToString(),
    };

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Real();
}
