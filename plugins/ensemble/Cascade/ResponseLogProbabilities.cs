using System.Collections;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Medley.Ensemble.Cascade;

/// <summary>
/// Reads the mean token log-probability of an answer from what a member reports in additional properties (of the
/// response, else of its last message): <see cref="MeanKey"/> (a number), or <see cref="TokensKey"/> (one number per
/// generated token; their mean is taken). Numbers may be doubles, floats or JSON numbers.
/// </summary>
public static class ResponseLogProbabilities
{
    /// <summary>The key of an answer's mean token log-probability.</summary>
    public const string MeanKey = "medley.mean_logprob";

    /// <summary>The key of an answer's per-token log-probabilities.</summary>
    public const string TokensKey = "medley.token_logprobs";

    /// <summary>The mean token log-probability the member reported.</summary>
    /// <param name="response">A member's response.</param>
    /// <returns>The mean, or <see langword="null"/> when the member reported none (or no tokens).</returns>
    public static double? Mean(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Mean(response.AdditionalProperties) ?? (response.Messages.Count > 0 ? Mean(response.Messages[^1].AdditionalProperties) : null);
    }

    private static double? Mean(AdditionalPropertiesDictionary? properties)
    {
        if (properties is null)
        {
            return null;
        }

        if (properties.TryGetValue(MeanKey, out var mean) && Number(mean) is { } value)
        {
            return value;
        }

        if (!properties.TryGetValue(TokensKey, out var tokens))
        {
            return null;
        }

        var values = tokens switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Select(e => Number(e)).ToList(),
            IEnumerable sequence and not string => sequence.Cast<object?>().Select(Number).ToList(),
            _ => [],
        };
        return values.Count > 0 && values.All(v => v is not null) ? values.Average(v => v!.Value) : null;
    }

    private static double? Number(object? value) => value switch
    {
        double d => d,
        float f => f,
        decimal m => (double)m,
        int i => i,
        long l => l,
        JsonElement { ValueKind: JsonValueKind.Number } element => element.GetDouble(),
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
