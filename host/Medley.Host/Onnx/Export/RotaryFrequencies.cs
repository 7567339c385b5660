using System.Text.Json;

namespace Medley.Host.Onnx.Export;

/// <summary>
/// The rotary inverse frequencies of Hugging Face's Llama: <c>1 / theta^(2i/d)</c>, adjusted by the scaling kinds
/// that only rescale frequencies (linear, llama3). transformers 4 writes <c>rope_theta</c> and <c>rope_scaling</c>;
/// transformers 5 writes both into <c>rope_parameters</c>.
/// </summary>
internal static class RotaryFrequencies
{
    public static IReadOnlyList<float> Compute(ConfigFields config, int headSize)
    {
        var parameters = config.Object("rope_parameters") ?? config.Object("rope_scaling");
        var theta = config.OptionalDouble("rope_theta") ?? (parameters is { } p ? config.OptionalDouble(p, "rope_theta") : null) ?? 10000.0;
        var frequencies = new double[headSize / 2];
        for (var i = 0; i < frequencies.Length; i++)
        {
            frequencies[i] = 1.0 / Math.Pow(theta, 2.0 * i / headSize);
        }

        if (parameters is { } scaling)
        {
            Rescale(config, scaling, frequencies);
        }

        return frequencies.Select(f => (float)f).ToArray();
    }

    private static void Rescale(ConfigFields config, JsonElement scaling, double[] frequencies)
    {
        var kind = ConfigFields.OptionalString(scaling, "rope_type") ?? ConfigFields.OptionalString(scaling, "type") ?? "default";
        switch (kind)
        {
            case "default":
                return;
            case "linear":
                var factor = Factor(config, scaling, "factor");
                for (var i = 0; i < frequencies.Length; i++)
                {
                    frequencies[i] /= factor;
                }

                return;
            case "llama3":
                Llama3(config, scaling, frequencies);
                return;
            default:
                throw config.Invalid(config.Object("rope_parameters") is null ? "rope_scaling" : "rope_parameters", scaling.GetRawText(), "a rope_type of default, linear or llama3");
        }
    }

    // transformers' _compute_llama3_parameters: long wavelengths slow down by the factor, short ones stay,
    // and the band between is interpolated.
    private static void Llama3(ConfigFields config, JsonElement scaling, double[] frequencies)
    {
        var factor = Factor(config, scaling, "factor");
        var lowFactor = Factor(config, scaling, "low_freq_factor");
        var highFactor = Factor(config, scaling, "high_freq_factor");
        var originalContext = Factor(config, scaling, "original_max_position_embeddings");
        var lowWavelength = originalContext / lowFactor;
        var highWavelength = originalContext / highFactor;
        for (var i = 0; i < frequencies.Length; i++)
        {
            var wavelength = 2 * Math.PI / frequencies[i];
            if (wavelength > lowWavelength)
            {
                frequencies[i] /= factor;
            }
            else if (wavelength >= highWavelength)
            {
                var smooth = (originalContext / wavelength - lowFactor) / (highFactor - lowFactor);
                frequencies[i] = (1 - smooth) * frequencies[i] / factor + smooth * frequencies[i];
            }
        }
    }

    private static double Factor(ConfigFields config, JsonElement scaling, string name) =>
        config.OptionalDouble(scaling, name) is { } value and > 0
            ? value
            : throw config.Invalid($"rope_scaling.{name}", scaling.GetRawText(), $"a positive number in rope_scaling.{name}");
}
