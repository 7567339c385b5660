using Medley.Host.Sampling;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;

namespace Medley.Speculative.Tests;

/// <summary>The target alone, decoded the plain way (one token per forward pass), as the reference.</summary>
public static class ReferenceDecoding
{
    /// <summary>The target's greedy output: the host sampler's arg-max after each single-token append, until EOS.</summary>
    public static async Task<List<int>> GreedyAsync(ICausalLanguageModel model, string prompt, int maxTokens)
    {
        var tokenizer = model.Tokenizer;
        var history = tokenizer.Encode(prompt, addSpecialTokens: true).ToList();
        var sampler = new TokenSampler(new SamplingOptions { Temperature = 0 });
        using var session = model.CreateSession();
        var logits = await session.AppendAsync(history.ToArray());
        var output = new List<int>();
        while (output.Count < maxTokens)
        {
            var token = sampler.Next(logits.Last.Span[..tokenizer.VocabularySize], history);
            if (tokenizer.EosTokenIds.Contains(token))
            {
                break;
            }

            output.Add(token);
            history.Add(token);
            logits = await session.AppendAsync(new[] { token });
        }

        return output;
    }

    /// <summary>
    /// The exact distribution of the target's first two tokens under <paramref name="sampling"/>: P(a, b) = p(a) p(b | a),
    /// keyed as "a" when a is an end of sequence and "a,b" otherwise (b may be the end of sequence).
    /// </summary>
    public static async Task<Dictionary<string, double>> FirstTwoTokensAsync(ICausalLanguageModel model, string prompt, SamplingOptions sampling)
    {
        var tokenizer = model.Tokenizer;
        var vocabulary = tokenizer.VocabularySize;
        var promptTokens = tokenizer.Encode(prompt, addSpecialTokens: true).ToList();
        var sampler = new TokenSampler(sampling);
        var first = new float[vocabulary];
        using var session = model.CreateSession();
        var logits = await session.AppendAsync(promptTokens.ToArray());
        sampler.ComputeDistribution(logits.Last.Span[..vocabulary], promptTokens, first);
        var result = new Dictionary<string, double>();
        for (var a = 0; a < vocabulary; a++)
        {
            if (first[a] == 0)
            {
                continue;
            }

            if (tokenizer.EosTokenIds.Contains(a))
            {
                result[Key([a])] = first[a];
                continue;
            }

            using var fork = session.Fork();
            var next = await fork.AppendAsync(new[] { a });
            var second = new float[vocabulary];
            sampler.ComputeDistribution(next.Last.Span[..vocabulary], [.. promptTokens, a], second);
            for (var b = 0; b < vocabulary; b++)
            {
                if (second[b] > 0)
                {
                    result[Key([a, b])] = (double)first[a] * second[b];
                }
            }
        }

        return result;
    }

    /// <summary>The outcome key of a generation limited to two tokens (an end of sequence shows as a missing token).</summary>
    public static string Outcome(IReadOnlyList<int> tokens, int endOfSequence) => tokens.Count switch
    {
        0 => Key([endOfSequence]),
        1 => Key([tokens[0], endOfSequence]),
        _ => Key([tokens[0], tokens[1]]),
    };

    private static string Key(int[] tokens) => string.Join(",", tokens);
}
