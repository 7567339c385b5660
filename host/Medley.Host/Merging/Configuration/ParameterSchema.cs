using System.Text.Json;

namespace Medley.Host.Merging.Configuration;

/// <summary>
/// The parts of a method's parameter JSON Schema that config validation uses: the declared properties with their
/// JSON types and enums, the required names, and whether undeclared names are allowed.
/// </summary>
internal sealed class ParameterSchema
{
    private ParameterSchema(IReadOnlyDictionary<string, ParameterPropertySchema> properties, IReadOnlyList<string> required, bool allowsUndeclared)
    {
        Properties = properties;
        Required = required;
        AllowsUndeclared = allowsUndeclared;
    }

    /// <summary>Declared parameters by name, in schema order.</summary>
    public IReadOnlyDictionary<string, ParameterPropertySchema> Properties { get; }

    /// <summary>The schema's <c>required</c> list.</summary>
    public IReadOnlyList<string> Required { get; }

    /// <summary>False when the schema says <c>"additionalProperties": false</c>.</summary>
    public bool AllowsUndeclared { get; }

    /// <summary>Reads a schema; <see langword="null"/> gives an empty, permissive one.</summary>
    /// <param name="schema">The JSON Schema object.</param>
    /// <returns>The parsed schema.</returns>
    public static ParameterSchema From(JsonElement? schema)
    {
        var properties = new Dictionary<string, ParameterPropertySchema>(StringComparer.Ordinal);
        var required = new List<string>();
        var allowsUndeclared = true;
        if (schema is { ValueKind: JsonValueKind.Object } root)
        {
            if (root.TryGetProperty("properties", out var declared) && declared.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in declared.EnumerateObject())
                {
                    properties[property.Name] = ParameterPropertySchema.From(property.Value);
                }
            }

            if (root.TryGetProperty("required", out var names) && names.ValueKind == JsonValueKind.Array)
            {
                required.AddRange(names.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!));
            }

            allowsUndeclared = !(root.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False);
        }

        return new ParameterSchema(properties, required, allowsUndeclared);
    }
}
