using System.Text.Json;
using System.Text.Json.Nodes;

namespace Medley.Host.Merging.Configuration;

/// <summary>The JSON types (and enum, if any) one parameter accepts.</summary>
/// <param name="Types">JSON Schema type names (number, integer, boolean, string); empty means any.</param>
/// <param name="Enum">Allowed values, when the schema lists them.</param>
internal sealed record ParameterPropertySchema(IReadOnlyList<string> Types, IReadOnlyList<JsonElement>? Enum)
{
    /// <summary>Inclusive lower bound (<c>minimum</c>), if any.</summary>
    public double? Minimum { get; init; }

    /// <summary>Exclusive lower bound (<c>exclusiveMinimum</c>), if any.</summary>
    public double? ExclusiveMinimum { get; init; }

    /// <summary>Inclusive upper bound (<c>maximum</c>), if any.</summary>
    public double? Maximum { get; init; }

    /// <summary>Exclusive upper bound (<c>exclusiveMaximum</c>), if any.</summary>
    public double? ExclusiveMaximum { get; init; }

    /// <summary>Reads one property schema.</summary>
    /// <param name="property">The property's schema object.</param>
    /// <returns>The parsed schema.</returns>
    public static ParameterPropertySchema From(JsonElement property)
    {
        var types = new List<string>();
        IReadOnlyList<JsonElement>? allowed = null;
        if (property.ValueKind == JsonValueKind.Object)
        {
            if (property.TryGetProperty("type", out var type))
            {
                if (type.ValueKind == JsonValueKind.String)
                {
                    types.Add(type.GetString()!);
                }
                else if (type.ValueKind == JsonValueKind.Array)
                {
                    types.AddRange(type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!));
                }
            }

            if (property.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array)
            {
                allowed = values.EnumerateArray().Select(v => v.Clone()).ToList();
            }
        }

        return new ParameterPropertySchema(types, allowed)
        {
            Minimum = Bound(property, "minimum"),
            ExclusiveMinimum = Bound(property, "exclusiveMinimum"),
            Maximum = Bound(property, "maximum"),
            ExclusiveMaximum = Bound(property, "exclusiveMaximum"),
        };
    }

    /// <summary>Says what is wrong with one value, or nothing.</summary>
    /// <param name="value">A scalar from the config.</param>
    /// <returns>A description of the problem, or <see langword="null"/> when the value fits.</returns>
    public string? Check(JsonValue value)
    {
        var element = JsonSerializer.SerializeToElement(value);
        if (Types.Count > 0 && !Types.Any(t => Fits(t, element)))
        {
            return $"expected {string.Join(" or ", Types.Select(Describe))}, got {DescribeValue(element)}";
        }

        if (Enum is not null && !Enum.Any(e => JsonElement.DeepEquals(e, element)))
        {
            return $"expected one of {string.Join(", ", Enum.Select(e => e.GetRawText()))}, got {DescribeValue(element)}";
        }

        if (element.ValueKind == JsonValueKind.Number)
        {
            var number = element.GetDouble();
            var text = element.GetRawText();
            if (Minimum is { } min && number < min)
            {
                return $"{text} is below the minimum {Format(min)}";
            }

            if (ExclusiveMinimum is { } exclusiveMin && number <= exclusiveMin)
            {
                return $"{text} must be greater than {Format(exclusiveMin)}";
            }

            if (Maximum is { } max && number > max)
            {
                return $"{text} is above the maximum {Format(max)}";
            }

            if (ExclusiveMaximum is { } exclusiveMax && number >= exclusiveMax)
            {
                return $"{text} must be less than {Format(exclusiveMax)}";
            }
        }

        return null;
    }

    private static double? Bound(JsonElement property, string keyword) =>
        property.ValueKind == JsonValueKind.Object && property.TryGetProperty(keyword, out var bound) && bound.ValueKind == JsonValueKind.Number
            ? bound.GetDouble()
            : null;

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static bool Fits(string type, JsonElement value) => type switch
    {
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "string" => value.ValueKind == JsonValueKind.String,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => true,
    };

    private static string Describe(string type) => type switch
    {
        "number" => "a number (or a list of numbers)",
        "integer" => "a whole number",
        "boolean" => "true or false",
        "string" => "a string",
        _ => type,
    };

    private static string DescribeValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        _ => value.GetRawText(),
    };
}
