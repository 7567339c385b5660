using Medley.Sdk;
using Medley.Sdk.Decoding;
using Microsoft.Extensions.AI;

namespace Medley.Host.Chat;

/// <summary>Turns a request's <see cref="ChatOptions"/> into the host sampler's <see cref="SamplingOptions"/>.</summary>
internal static class ChatSamplingOptions
{
    /// <summary>
    /// Maps the options; what the request leaves unset keeps the sampler's defaults (temperature 1, no top-k or
    /// top-p cut), as a model's own generate does without a generation config.
    /// </summary>
    public static SamplingOptions From(ChatOptions? options, string modelId, SamplingOptions? baseline = null)
    {
        // A run's own sampling section, when there is one, stands in for the sampler's defaults.
        var defaults = baseline ?? new SamplingOptions();
        if (options is null)
        {
            return defaults;
        }

        var problems = new List<string>();
        if (options.MaxOutputTokens is < 1)
        {
            problems.Add($"MaxOutputTokens is {options.MaxOutputTokens}; expected at least 1.");
        }

        if (options.Temperature is { } temperature && (!float.IsFinite(temperature) || temperature < 0))
        {
            problems.Add($"Temperature is {temperature}; expected a finite number >= 0 (0 = greedy).");
        }

        if (options.TopP is { } topP && !(topP > 0 && topP <= 1))
        {
            problems.Add($"TopP is {topP}; expected a number in (0, 1].");
        }

        if (options.TopK is < 0)
        {
            problems.Add($"TopK is {options.TopK}; expected 0 (off) or more.");
        }

        if (options.StopSequences?.Any(string.IsNullOrEmpty) == true)
        {
            problems.Add("StopSequences holds an empty string; expected non-empty stop sequences.");
        }

        if (problems.Count > 0)
        {
            throw new MedleyException(
                ChatErrorCodes.InvalidOption,
                $"The chat options for {modelId} are not usable: {string.Join(" ", problems)}");
        }

        return defaults with
        {
            Temperature = options.Temperature ?? defaults.Temperature,
            TopP = options.TopP ?? defaults.TopP,
            TopK = options.TopK ?? defaults.TopK,
            MaxTokens = options.MaxOutputTokens ?? defaults.MaxTokens,
            StopStrings = options.StopSequences?.ToArray() ?? defaults.StopStrings,

            // ChatOptions carries a signed seed; the sampler's stream takes its 64 bits as they are.
            Seed = options.Seed is { } seed ? unchecked((ulong)seed) : defaults.Seed,
        };
    }
}
