using System.Runtime.CompilerServices;
using Medley.Sdk.Decoding;

namespace Medley.Conformance.Tests.Broken;

/// <summary>Greedy decoding that stops only at end-of-sequence, forgetting the token limit.</summary>
public sealed class LimitIgnoringDecodingStrategy : IDecodingStrategy
{
    public async IAsyncEnumerable<TokenEvent> DecodeAsync(DecodingContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var model = context.Members[0].Model;
        using var session = model.CreateSession();
        var logits = await session.AppendAsync(model.Tokenizer.Encode(context.Prompt, addSpecialTokens: true).ToArray(), cancellationToken: cancellationToken);
        var generated = new List<int>();
        while (true)
        {
            var token = context.Sampler.Next(logits.Last.Span, generated);
            if (model.Tokenizer.EosTokenIds.Contains(token))
            {
                yield break;
            }

            generated.Add(token);
            yield return new TokenEvent(model.Tokenizer.Decode([token]), [token]);
            logits = await session.AppendAsync(new[] { token }, cancellationToken: cancellationToken);
        }
    }
}
