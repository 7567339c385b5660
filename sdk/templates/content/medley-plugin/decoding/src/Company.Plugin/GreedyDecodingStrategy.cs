using System.Runtime.CompilerServices;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;

namespace Company.Plugin;

/// <summary>
/// Greedy decoding with one model: appends the highest-scoring token (the lowest id on ties) until the model emits an
/// end-of-sequence token or <see cref="SamplingOptions.MaxTokens"/> tokens are written.
/// </summary>
[MedleyStrategy("company-plugin-strategy")]
public sealed class GreedyDecodingStrategy : IDecodingStrategy
{
    /// <inheritdoc />
    public async IAsyncEnumerable<TokenEvent> DecodeAsync(DecodingContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Members.Count != 1)
        {
            throw new MedleyException(
                "decoding.members.count",
                $"Strategy 'company-plugin-strategy' decodes with exactly one model (role 'model'), but {context.Members.Count} were given.");
        }

        var member = context.Members[0];
        var tokenizer = member.Model.Tokenizer;
        using var session = member.Model.CreateSession();
        var prompt = tokenizer.Encode(context.Prompt, addSpecialTokens: true).ToArray();
        if (prompt.Length == 0)
        {
            throw new MedleyException("decoding.prompt.empty", $"Model '{member.Name}' turned the prompt into no tokens; give a non-empty prompt.");
        }

        var logits = await session.AppendAsync(prompt, LogitsScope.Last, cancellationToken).ConfigureAwait(false);
        var text = new IncrementalTextDecoder(tokenizer);
        for (var written = 0; written < context.Sampler.Options.MaxTokens; written++)
        {
            var next = ArgMax(logits.Last.Span);
            if (tokenizer.EosTokenIds.Contains(next))
            {
                break;
            }

            context.Counters.Add("tokens");
            yield return new TokenEvent(text.Add(next), [next], member.Name);
            logits = await session.AppendAsync(new[] { next }, LogitsScope.Last, cancellationToken).ConfigureAwait(false);
        }

        var rest = text.Flush();
        if (rest.Length > 0)
        {
            yield return new TokenEvent(rest, [], member.Name);
        }
    }

    private static int ArgMax(ReadOnlySpan<float> scores)
    {
        var best = 0;
        for (var i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }

        return best;
    }
}
