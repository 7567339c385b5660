using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Medley.Sdk.Testing;

/// <summary>JSON Schema 2020-12 checks with the same dialect the host uses (annotation keywords such as x-medley-scope allowed).</summary>
internal static class SchemaChecks
{
    private static readonly Dialect Dialect = Dialect.Draft202012.With([], allowUnknownKeywords: true);
    private static readonly Lazy<JsonSchema> Manifest = new(LoadManifestSchema);

    public static JsonSchema ManifestSchema => Manifest.Value;

    public static JsonSchema Build(JsonElement schema) =>
        // Cloned because the built schema keeps reading the element, whose document the caller may dispose.
        JsonSchema.Build(schema.Clone(), new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect });

    /// <summary>Problems that make <paramref name="schema"/> no valid schema; empty when it is one.</summary>
    public static IReadOnlyList<string> CheckSchema(JsonElement schema)
    {
        if (schema.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
        {
            return [$"a schema must be an object or a boolean, not {schema.ValueKind.ToString().ToLowerInvariant()}"];
        }

        var problems = Evaluate(MetaSchemas.Draft202012, schema);
        if (problems.Count > 0)
        {
            return problems;
        }

        try
        {
            Build(schema);
        }
        catch (Exception ex) when (ex is JsonSchemaException or ArgumentException or InvalidOperationException or JsonException)
        {
            return [ex.Message];
        }

        return [];
    }

    /// <summary>Problems with <paramref name="instance"/> under <paramref name="schema"/>, as "pointer: message"; empty when valid.</summary>
    public static IReadOnlyList<string> Evaluate(JsonSchema schema, JsonElement instance)
    {
        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        var problems = new List<string>();
        foreach (var detail in results.Details ?? [])
        {
            foreach (var (_, message) in detail.Errors ?? new Dictionary<string, string>())
            {
                var pointer = detail.InstanceLocation.ToString();
                var line = $"{(pointer.Length == 0 ? "/" : pointer)}: {message}";
                if (!problems.Contains(line))
                {
                    problems.Add(line);
                }
            }
        }

        return problems.Count == 0 ? ["/: the value does not match the schema"] : problems;
    }

    /// <summary>
    /// The object made of every top-level property's <c>default</c>, checked against the schema with its
    /// <c>required</c> list set aside: a required parameter has no default by nature, yet every default given must be accepted.
    /// </summary>
    public static IReadOnlyList<string> CheckDefaults(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var defaults = new JsonObject();
        foreach (var property in properties.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("default", out var value))
            {
                defaults[property.Name] = JsonNode.Parse(value.GetRawText());
            }
        }

        var relaxed = JsonNode.Parse(schema.GetRawText())!.AsObject();
        relaxed.Remove("required");
        using var schemaDocument = JsonDocument.Parse(relaxed.ToJsonString());
        using var instance = JsonDocument.Parse(defaults.ToJsonString());
        return Evaluate(Build(schemaDocument.RootElement), instance.RootElement);
    }

    private static JsonSchema LoadManifestSchema()
    {
        using var stream = typeof(SchemaChecks).Assembly.GetManifestResourceStream("Medley.Sdk.Testing.plugin-manifest.schema.json")
            ?? throw new InvalidOperationException("The plugin manifest schema is missing from Medley.Sdk.Testing's resources.");
        using var document = JsonDocument.Parse(stream);
        return Build(document.RootElement);
    }
}
