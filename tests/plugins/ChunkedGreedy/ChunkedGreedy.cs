using System.Runtime.CompilerServices;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;

namespace Medley.TestPlugins.ChunkedGreedy;

/// <summary>
/// A decoding strategy that runs one model with the host's sampler and emits tokens in pairs, so that the host's
/// max_tokens must cut an event in half and stop strings must be found across events.
/// </summary>
[MedleyStrategy("test_chunked_greedy")]
public sealed class ChunkedGreedy : IDecodingStrategy
{
    /// <inheritdoc />
    public async IAsyncEnumerable<TokenEvent> DecodeAsync(DecodingContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = context.Members[0].Model;
        var tokenizer = model.Tokenizer;
        using var session = model.CreateSession();
        var history = tokenizer.Encode(context.Prompt, addSpecialTokens: true).ToList();
        var logits = await session.AppendAsync(history.ToArray(), LogitsScope.Last, cancellationToken).ConfigureAwait(false);
        var eos = tokenizer.EosTokenIds.ToHashSet();
        var pending = new List<int>();
        while (true)
        {
            var token = context.Sampler.Next(logits.Last.Span, history);
            if (eos.Contains(token))
            {
                break;
            }

            pending.Add(token);
            history.Add(token);
            if (pending.Count == 2)
            {
                context.Counters.Add("chunks");
                yield return new TokenEvent(tokenizer.Decode(pending), pending.ToArray(), context.Members[0].Name);
                pending.Clear();
            }

            if (history.Count >= (model.Info.ContextLength ?? int.MaxValue))
            {
                break;
            }

            logits = await session.AppendAsync(new[] { token }, LogitsScope.Last, cancellationToken).ConfigureAwait(false);
        }

        if (pending.Count > 0)
        {
            yield return new TokenEvent(tokenizer.Decode(pending), pending.ToArray(), context.Members[0].Name);
        }
    }
}
