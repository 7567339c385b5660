using System.Globalization;
using Medley.Sdk;

namespace Medley.Host.Runtime.Devices;

/// <summary>A parsed <c>--device</c> value: <c>auto</c>, or a device type with an optional index (<c>cuda:1</c>).</summary>
/// <param name="DeviceType">The device type in lower case; <see langword="null"/> for <c>auto</c>.</param>
/// <param name="Index">The device index (0 when omitted).</param>
public sealed record DeviceRequest(string? DeviceType, int Index)
{
    /// <summary>The request that lets the host pick the best usable provider.</summary>
    public static DeviceRequest Auto { get; } = new(null, 0);

    /// <summary>Whether the host picks the provider.</summary>
    public bool IsAuto => DeviceType is null;

    /// <summary>Parses <c>auto</c>, <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>, <c>dml:N</c> or any provider's <c>TYPE[:N]</c>.</summary>
    /// <param name="text">The value given to <c>--device</c>.</param>
    /// <returns>The request.</returns>
    /// <exception cref="MedleyException">When the text is not of that form (code <c>device.invalid</c>).</exception>
    public static DeviceRequest Parse(string? text)
    {
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            throw Invalid(text, "it is empty");
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var type = (colon < 0 ? value : value[..colon]).ToLowerInvariant();
        if (!IsDeviceType(type))
        {
            throw Invalid(text, $"'{(colon < 0 ? value : value[..colon])}' is not a device type (letters, digits, '_' and '-', starting with a letter)");
        }

        if (colon < 0)
        {
            return type == "auto" ? Auto : new DeviceRequest(type, 0);
        }

        if (type == "auto")
        {
            throw Invalid(text, "'auto' takes no device index");
        }

        var indexText = value[(colon + 1)..];
        if (indexText.Length == 0 || !indexText.All(char.IsAsciiDigit)
            || !int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            throw Invalid(text, $"the device index after ':' must be a whole number of 0 or more, not '{indexText}'");
        }

        return new DeviceRequest(type, index);
    }

    /// <inheritdoc />
    public override string ToString() => DeviceType is null ? "auto" : $"{DeviceType}:{Index}";

    private static bool IsDeviceType(string type) =>
        type.Length is > 0 and <= 32 && char.IsAsciiLetterLower(type[0])
        && type.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-');

    private static MedleyException Invalid(string? text, string why) => new(
        DeviceErrorCodes.Invalid,
        $"--device '{text}' is not valid: {why}. Expected auto, cpu, cuda[:N] or dml[:N] (N the device index, default 0).",
        MedleyErrorKind.Usage);
}
