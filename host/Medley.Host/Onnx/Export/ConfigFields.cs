using System.Globalization;
using System.Text.Json;
using Medley.Sdk;

namespace Medley.Host.Onnx.Export;

/// <summary>Typed access to a <c>config.json</c> object, with errors that name the file and field.</summary>
internal sealed class ConfigFields(string path, JsonElement root)
{
    public string Path { get; } = path;

    public bool IsPresentAndNotNull(string name) => root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public string Raw(string name) => root.TryGetProperty(name, out var value) ? value.GetRawText() : "(absent)";

    public JsonElement? Object(string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    public int RequiredInt(string name) =>
        OptionalInt(name) ?? throw new MedleyException(OnnxExportErrorCodes.ConfigInvalid, $"{Path}: field '{name}' is missing; expected a positive integer.");

    public int? OptionalInt(string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number > 0
            ? number
            : throw Invalid(name, value.GetRawText(), "a positive integer");
    }

    public double? OptionalDouble(string name) => OptionalDouble(root, name);

    public double? OptionalDouble(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Invalid(name, value.GetRawText(), "a number");
    }

    public bool? OptionalBool(string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(name, value.GetRawText(), "true or false"),
        };
    }

    public string? OptionalString(string name) => OptionalString(root, name);

    public IReadOnlyList<string?>? StringArray(string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText()).ToList()
            : null;

    public static string? OptionalString(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(e => e.ToString())),
            _ => null,
        };
    }

    public void RequireDivisible(string name, int value, string divisorName, int divisor)
    {
        if (divisor <= 0 || value % divisor != 0)
        {
            throw Invalid(name, value.ToString(CultureInfo.InvariantCulture), $"a multiple of {divisorName} ({divisor})");
        }
    }

    public MedleyException Invalid(string name, string found, string expected) =>
        new(OnnxExportErrorCodes.ConfigInvalid, $"{Path}: field '{name}' is {found}; expected {expected}.");
}
