using System.Globalization;
using Medley.Sdk;

namespace Medley.Host.Merging.Engine;

/// <summary>Parses sizes such as <c>5GB</c>, <c>500MB</c>, <c>1.5G</c>, <c>8GiB</c> or a plain byte count.</summary>
public static class ByteSize
{
    private static readonly (string Suffix, double Factor)[] Units =
    [
        ("kib", 1024d), ("mib", 1024d * 1024), ("gib", 1024d * 1024 * 1024), ("tib", 1024d * 1024 * 1024 * 1024),
        ("kb", 1e3), ("mb", 1e6), ("gb", 1e9), ("tb", 1e12),
        ("k", 1e3), ("m", 1e6), ("g", 1e9), ("t", 1e12),
        ("b", 1),
    ];

    /// <summary>Parses a size.</summary>
    /// <param name="text">The text.</param>
    /// <param name="option">The option or field it came from, for the error message.</param>
    /// <returns>Bytes.</returns>
    /// <exception cref="MedleyException">When the text is not a positive size.</exception>
    public static long Parse(string text, string option)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().ToLowerInvariant();
        var factor = 1d;
        foreach (var (suffix, value) in Units)
        {
            if (trimmed.EndsWith(suffix, StringComparison.Ordinal))
            {
                trimmed = trimmed[..^suffix.Length].TrimEnd();
                factor = value;
                break;
            }
        }

        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0 || double.IsInfinity(number))
        {
            throw new MedleyException(
                "cli.size.invalid",
                $"{option} '{text}' is not a size: expected a positive number with an optional unit (B, KB, MB, GB, TB, KiB, MiB, GiB, TiB), e.g. 5GB.",
                MedleyErrorKind.Usage);
        }

        return (long)Math.Round(number * factor);
    }

    /// <summary>Formats bytes for people (decimal units).</summary>
    /// <param name="bytes">Bytes.</param>
    /// <returns>E.g. <c>1.23 GB</c>.</returns>
    public static string Format(long bytes) => bytes switch
    {
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.##} GB"),
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.##} MB"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.##} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
