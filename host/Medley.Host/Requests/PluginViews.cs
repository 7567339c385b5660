using System.Text.Json;
using Medley.Host.Plugins;
using Medley.Sdk;

namespace Medley.Host.Requests;

/// <summary>A user-facing error as reported in listings and JSON output.</summary>
/// <param name="Code">Stable error code.</param>
/// <param name="Message">The message.</param>
public sealed record ErrorView(string Code, string Message)
{
    /// <summary>Builds the view of an error.</summary>
    /// <param name="error">The error.</param>
    /// <returns>The view, or <see langword="null"/>.</returns>
    public static ErrorView? From(MedleyException? error) => error is null ? null : new(error.Code, error.Message);
}

/// <summary>A strategy in a listing.</summary>
/// <param name="Name">Strategy name.</param>
/// <param name="Kind">Kind (manifest spelling).</param>
/// <param name="Summary">One-line description.</param>
public sealed record StrategyView(string Name, string Kind, string Summary);

/// <summary>A plugin in a listing.</summary>
/// <param name="Id">Plugin id.</param>
/// <param name="Version">Version, when the manifest could be read.</param>
/// <param name="Status"><c>loaded</c>, <c>failed</c> or <c>shadowed</c>.</param>
/// <param name="Source">Which search location it came from.</param>
/// <param name="Folder">The plugin folder.</param>
/// <param name="Strategies">Strategies it provides (declared ones when it failed).</param>
/// <param name="Error">Why it failed, if it did.</param>
public sealed record PluginView(
    string Id,
    string? Version,
    string Status,
    string Source,
    string Folder,
    IReadOnlyList<StrategyView> Strategies,
    ErrorView? Error)
{
    /// <summary>Builds the view of a plugin record.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The view.</returns>
    public static PluginView From(PluginRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var strategies = record.Status == PluginStatus.Loaded
            ? record.Strategies.Select(s => new StrategyView(s.Name, StrategyKinds.ToName(s.Kind), s.Summary))
            : (record.Manifest?.Strategies ?? []).Select(s => new StrategyView(s.Name, s.Kind, s.Summary));
        return new PluginView(
            record.Id,
            record.Version,
            record.Status.ToString().ToLowerInvariant(),
            record.Source,
            record.Folder,
            strategies.OrderBy(s => s.Name, StringComparer.Ordinal).ToList(),
            ErrorView.From(record.Error));
    }
}

/// <summary>One parameter of a strategy, flattened from its JSON Schema for display.</summary>
/// <param name="Name">Parameter name.</param>
/// <param name="Type">JSON type(s).</param>
/// <param name="Required">Whether it must be given.</param>
/// <param name="Default">Default value as JSON text, if any.</param>
/// <param name="Scope"><c>model</c> for per-model merge parameters, <c>global</c> otherwise.</param>
/// <param name="Constraints">Bounds and allowed values, as text.</param>
/// <param name="Description">What it does.</param>
public sealed record ParameterView(string Name, string Type, bool Required, string? Default, string Scope, string? Constraints, string? Description)
{
    /// <summary>Flattens the top-level properties of a parameters schema.</summary>
    /// <param name="schema">The schema, if any.</param>
    /// <returns>One row per property, in schema order.</returns>
    public static IReadOnlyList<ParameterView> FromSchema(JsonElement? schema)
    {
        if (schema is not { ValueKind: JsonValueKind.Object } root || !root.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var required = root.TryGetProperty("required", out var req) && req.ValueKind == JsonValueKind.Array
            ? req.EnumerateArray().Select(e => e.GetString()).ToHashSet(StringComparer.Ordinal)
            : [];
        var rows = new List<ParameterView>();
        foreach (var property in properties.EnumerateObject())
        {
            var p = property.Value;
            var constraints = new List<string>();
            foreach (var (keyword, symbol) in new[] { ("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="), ("exclusiveMaximum", "<") })
            {
                if (p.ValueKind == JsonValueKind.Object && p.TryGetProperty(keyword, out var bound))
                {
                    constraints.Add($"{symbol} {bound.GetRawText()}");
                }
            }

            if (p.ValueKind == JsonValueKind.Object && p.TryGetProperty("enum", out var values))
            {
                constraints.Add("one of " + string.Join(", ", values.EnumerateArray().Select(v => v.GetRawText())));
            }

            rows.Add(new ParameterView(
                property.Name,
                TypeOf(p),
                required.Contains(property.Name),
                p.ValueKind == JsonValueKind.Object && p.TryGetProperty("default", out var d) ? d.GetRawText() : null,
                p.ValueKind == JsonValueKind.Object && p.TryGetProperty("x-medley-scope", out var scope) && scope.ValueKind == JsonValueKind.String ? scope.GetString()! : "global",
                constraints.Count == 0 ? null : string.Join("; ", constraints),
                p.ValueKind == JsonValueKind.Object && p.TryGetProperty("description", out var desc) ? desc.GetString() : null));
        }

        return rows;
    }

    private static string TypeOf(JsonElement p)
    {
        if (p.ValueKind != JsonValueKind.Object)
        {
            return "any";
        }

        if (p.TryGetProperty("type", out var type))
        {
            return type.ValueKind == JsonValueKind.Array
                ? string.Join(" | ", type.EnumerateArray().Select(t => t.GetString()))
                : type.GetString() ?? "any";
        }

        if (p.TryGetProperty("oneOf", out var oneOf) || p.TryGetProperty("anyOf", out oneOf))
        {
            return string.Join(" | ", oneOf.EnumerateArray().Select(TypeOf));
        }

        return p.TryGetProperty("enum", out _) ? "enum" : "any";
    }
}

/// <summary>A strategy in full, for <c>plugins inspect</c>.</summary>
/// <param name="Name">Strategy name.</param>
/// <param name="Kind">Kind (manifest spelling).</param>
/// <param name="Summary">One-line description.</param>
/// <param name="Roles">Roles models play.</param>
/// <param name="Parameters">Parameters, flattened from the schema.</param>
/// <param name="ParametersSchema">The schema itself.</param>
public sealed record StrategyDetailView(
    string Name,
    string Kind,
    string Summary,
    IReadOnlyList<StrategyRole> Roles,
    IReadOnlyList<ParameterView> Parameters,
    JsonElement? ParametersSchema);
