using Medley.Ensemble.UnionVocab;
using Medley.Host.Sampling;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medley.UnionVocab.Tests;

/// <summary>Runs the strategy, and the plain reference loops the tests compare it with.</summary>
public static class Decoding
{
    public static DecodingContext Context(
        IReadOnlyList<(ICausalLanguageModel Model, double? Weight)> members,
        string prompt,
        int maxTokens,
        IEnumerable<KeyValuePair<string, object?>>? parameters = null,
        double temperature = 0,
        ulong seed = 7) =>
        new(
            [.. members.Select((m, i) => new DecodingMember(
                "member",
                $"m{i}",
                m.Model,
                m.Weight is { } w ? StrategyParameters.FromValues([new("weight", w)]) : StrategyParameters.Empty))],
            prompt,
            StrategyParameters.FromValues(parameters ?? []),
            new TokenSampler(new SamplingOptions { Temperature = temperature, MaxTokens = maxTokens, Seed = seed }),
            new StrategyCounters(),
            NullLogger.Instance);

    public static async Task<List<TokenEvent>> RunAsync(DecodingContext context)
    {
        var events = new List<TokenEvent>();
        await foreach (var item in new UnionVocabStrategy().DecodeAsync(context, CancellationToken.None))
        {
            events.Add(item);
        }

        return events;
    }

    public static double[] Softmax(ReadOnlySpan<float> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var value in logits)
        {
            max = Math.Max(max, value);
        }

        var result = new double[logits.Length];
        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            result[i] = Math.Exp(logits[i] - max);
            sum += result[i];
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] /= sum;
        }

        return result;
    }

    /// <summary>
    /// Members that share one vocabulary, every token an ordinary choice: greedy on Σ wᵢ pᵢ / Σ wᵢ, restricted to the
    /// union of each member's top-k ids, every member fed the chosen id.
    /// </summary>
    public static async Task<List<int>> ProbabilityAverageGreedyAsync(
        IReadOnlyList<ICausalLanguageModel> models, IReadOnlyList<double> weights, string prompt, int topK, int maxTokens, int eos)
    {
        var sessions = models.Select(m => m.CreateSession()).ToList();
        try
        {
            var next = models[0].Tokenizer.Encode(prompt, addSpecialTokens: true).ToArray();
            var output = new List<int>();
            while (output.Count < maxTokens)
            {
                var distributions = new List<double[]>();
                foreach (var session in sessions)
                {
                    distributions.Add(Softmax((await session.AppendAsync(next)).Last.Span));
                }

                var allowed = new HashSet<int>();
                foreach (var p in distributions)
                {
                    allowed.UnionWith(Enumerable.Range(0, p.Length).OrderByDescending(i => p[i]).ThenBy(i => i).Take(topK));
                }

                var best = -1;
                var bestValue = double.NegativeInfinity;
                foreach (var id in allowed.Order())
                {
                    var average = 0.0;
                    for (var m = 0; m < models.Count; m++)
                    {
                        average += weights[m] * distributions[m][id];
                    }

                    average /= weights.Sum();
                    if (average > bestValue)
                    {
                        best = id;
                        bestValue = average;
                    }
                }

                if (best == eos)
                {
                    break;
                }

                output.Add(best);
                next = [best];
            }

            return output;
        }
        finally
        {
            sessions.ForEach(s => s.Dispose());
        }
    }

    /// <summary>One model decoding greedily alone (arg-max, lowest id on ties) until its end of sequence.</summary>
    public static async Task<List<int>> GreedyAloneAsync(ICausalLanguageModel model, string prompt, int maxTokens)
    {
        using var session = model.CreateSession();
        var next = model.Tokenizer.Encode(prompt, addSpecialTokens: true).ToArray();
        var output = new List<int>();
        while (output.Count < maxTokens)
        {
            var logits = (await session.AppendAsync(next)).Last.Span;
            var best = 0;
            for (var i = 1; i < logits.Length; i++)
            {
                if (logits[i] > logits[best])
                {
                    best = i;
                }
            }

            if (model.Tokenizer.EosTokenIds.Contains(best))
            {
                break;
            }

            output.Add(best);
            next = [best];
        }

        return output;
    }
}
