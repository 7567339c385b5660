using System.Runtime.CompilerServices;
using Medley.Sdk.Decoding;

namespace Medley.Conformance.Tests.Broken;

/// <summary>A correct single-model sampling loop except that it never looks at its cancellation token.</summary>
public sealed class CancellationIgnoringDecodingStrategy : IDecodingStrategy
{
    public async IAsyncEnumerable<TokenEvent> DecodeAsync(DecodingContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var model = context.Members[0].Model;
        using var session = model.CreateSession();
        var prompt = model.Tokenizer.Encode(context.Prompt, addSpecialTokens: true).ToArray();
        var logits = await session.AppendAsync(prompt, cancellationToken: CancellationToken.None);
        var generated = new List<int>();
        while (generated.Count < context.Sampler.Options.MaxTokens)
        {
            var token = context.Sampler.Next(logits.Last.Span, generated);
            if (model.Tokenizer.EosTokenIds.Contains(token))
            {
                yield break;
            }

            generated.Add(token);
            yield return new TokenEvent(model.Tokenizer.Decode([token]), [token]);
            logits = await session.AppendAsync(new[] { token }, cancellationToken: CancellationToken.None);
        }
    }
}
