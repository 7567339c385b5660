using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Medley.Sdk;

/// <summary>
/// The parameters a strategy receives: a JSON object already validated by the host against the strategy's
/// parameter schema. Typed getters turn a wrong value into a <see cref="MedleyException"/> that names the parameter.
/// </summary>
public sealed class StrategyParameters
{
    private readonly JsonElement _root;

    /// <summary>Wraps a JSON object.</summary>
    /// <param name="root">A JSON object.</param>
    /// <exception cref="ArgumentException">When <paramref name="root"/> is not an object.</exception>
    public StrategyParameters(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"Strategy parameters must be a JSON object, not {root.ValueKind}.", nameof(root));
        }

        _root = root.Clone();
    }

    /// <summary>No parameters.</summary>
    public static StrategyParameters Empty { get; } = FromJson("{}");

    /// <summary>The parameters as JSON.</summary>
    public JsonElement Json => _root;

    /// <summary>The names of the parameters that were given.</summary>
    public IEnumerable<string> Names => _root.EnumerateObject().Select(p => p.Name);

    /// <summary>Parses a JSON object.</summary>
    /// <param name="json">JSON text of an object.</param>
    /// <returns>The parameters.</returns>
    public static StrategyParameters FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new StrategyParameters(document.RootElement);
    }

    /// <summary>Builds parameters from scalar values (numbers, booleans, strings) and nested nodes.</summary>
    /// <param name="values">Name to value.</param>
    /// <returns>The parameters.</returns>
    public static StrategyParameters FromValues(IEnumerable<KeyValuePair<string, object?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var obj = new JsonObject();
        foreach (var (name, value) in values)
        {
            obj[name] = value switch
            {
                null => null,
                JsonNode node => node.DeepClone(),
                JsonElement element => JsonNode.Parse(element.GetRawText()),
                _ => JsonValue.Create(value),
            };
        }

        return FromJson(obj.ToJsonString());
    }

    /// <summary>Whether a parameter was given (a JSON <c>null</c> counts as not given).</summary>
    /// <param name="name">The parameter name.</param>
    /// <returns><see langword="true"/> when present and not null.</returns>
    public bool Contains(string name) => _root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>The raw JSON value of a parameter.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="value">The value when present.</param>
    /// <returns><see langword="true"/> when present and not null.</returns>
    public bool TryGet(string name, out JsonElement value)
    {
        if (_root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>A number, or <paramref name="defaultValue"/> when absent.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <returns>The number.</returns>
    public double GetDouble(string name, double defaultValue) =>
        TryGet(name, out var value) ? ReadDouble(name, value) : defaultValue;

    /// <summary>A number that must be present.</summary>
    /// <param name="name">The parameter name.</param>
    /// <returns>The number.</returns>
    public double GetRequiredDouble(string name) =>
        TryGet(name, out var value) ? ReadDouble(name, value) : throw Missing(name, "a number");

    /// <summary>A whole number, or <paramref name="defaultValue"/> when absent.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <returns>The number.</returns>
    public int GetInt32(string name, int defaultValue)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var result)
            ? result
            : throw Wrong(name, value, "a whole number");
    }

    /// <summary>A boolean, or <paramref name="defaultValue"/> when absent.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <returns>The boolean.</returns>
    public bool GetBoolean(string name, bool defaultValue)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(name, value, "true or false"),
        };
    }

    /// <summary>A string, or <paramref name="defaultValue"/> when absent.</summary>
    /// <param name="name">The parameter name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <returns>The string.</returns>
    public string? GetString(string name, string? defaultValue)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Wrong(name, value, "a string");
    }

    /// <summary>Deserializes a structured parameter, or returns <paramref name="defaultValue"/> when absent.</summary>
    /// <typeparam name="T">The target type.</typeparam>
    /// <param name="name">The parameter name.</param>
    /// <param name="defaultValue">The value when absent.</param>
    /// <param name="options">Serializer options; web defaults when omitted.</param>
    /// <returns>The value.</returns>
    public T? Get<T>(string name, T? defaultValue = default, JsonSerializerOptions? options = null)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue;
        }

        try
        {
            return value.Deserialize<T>(options ?? JsonSerializerOptions.Web);
        }
        catch (JsonException ex)
        {
            throw new MedleyException(
                "parameter.invalid",
                $"Parameter '{name}' has value {Describe(value)}, which is not a valid {typeof(T).Name}: {ex.Message}",
                innerException: ex);
        }
    }

    /// <summary>Returns new parameters with some values replaced or added.</summary>
    /// <param name="overrides">Name to value.</param>
    /// <returns>The merged parameters.</returns>
    public StrategyParameters With(IEnumerable<KeyValuePair<string, object?>> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in _root.EnumerateObject())
        {
            merged[property.Name] = property.Value;
        }

        foreach (var (name, value) in overrides)
        {
            merged[name] = value;
        }

        return FromValues(merged);
    }

    /// <inheritdoc />
    public override string ToString() => _root.GetRawText();

    private static double ReadDouble(string name, JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Wrong(name, value, "a number");

    private static MedleyException Missing(string name, string expected) =>
        new("parameter.missing", $"Parameter '{name}' is required: expected {expected}.");

    private static MedleyException Wrong(string name, JsonElement value, string expected) =>
        new("parameter.invalid", $"Parameter '{name}' is {Describe(value)}: expected {expected}.");

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => string.Create(CultureInfo.InvariantCulture, $"the string \"{value.GetString()}\""),
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.GetRawText(),
    };
}
