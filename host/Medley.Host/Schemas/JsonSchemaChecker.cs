using System.Text.Json;
using Json.Schema;

namespace Medley.Host.Schemas;

/// <summary>Builds JSON Schemas and evaluates instances, reporting every violation with its JSON pointer.</summary>
public static class JsonSchemaChecker
{
    // 2020-12 with annotation keywords of our own (x-medley-scope) allowed, as the specification permits.
    private static readonly Dialect Dialect = Dialect.Draft202012.With([], allowUnknownKeywords: true);

    /// <summary>Builds a schema in a registry of its own, so that schemas with equal <c>$id</c>s never collide.</summary>
    /// <param name="schema">The schema document.</param>
    /// <returns>The schema.</returns>
    /// <exception cref="JsonSchemaException">When the document is not a valid schema.</exception>
    public static JsonSchema Build(JsonElement schema) =>
        // Cloned because the built schema keeps reading the element, whose document the caller may dispose.
        JsonSchema.Build(schema.Clone(), new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect });

    /// <summary>
    /// Checks that a document is a usable JSON Schema (2020-12): it must validate against the meta-schema
    /// and build. Returns one message per problem.
    /// </summary>
    /// <param name="schema">The candidate schema.</param>
    /// <returns>Problems; empty when the schema is valid.</returns>
    public static IReadOnlyList<string> CheckSchema(JsonElement schema)
    {
        if (schema.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
        {
            return [$"a schema must be an object or a boolean, not {schema.ValueKind.ToString().ToLowerInvariant()}"];
        }

        var problems = Evaluate(MetaSchemas.Draft202012, schema).ToList();
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

    /// <summary>Evaluates an instance, returning <c>pointer: message</c> for every failed keyword.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="instance">The instance.</param>
    /// <returns>Violations in document order; empty when the instance is valid.</returns>
    public static IReadOnlyList<string> Evaluate(JsonSchema schema, JsonElement instance)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var results = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        var problems = new List<string>();
        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is null)
            {
                continue;
            }

            var pointer = detail.InstanceLocation.ToString();
            foreach (var (_, message) in detail.Errors)
            {
                var line = $"{(pointer.Length == 0 ? "/" : pointer)}: {message}";
                if (!problems.Contains(line))
                {
                    problems.Add(line);
                }
            }
        }

        if (problems.Count == 0 && results.Errors is not null)
        {
            problems.AddRange(results.Errors.Select(e => $"/: {e.Value}"));
        }

        return problems.Count == 0 ? ["/: the value does not match the schema"] : problems;
    }
}
