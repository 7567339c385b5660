namespace Medley.Sdk.Decoding;

/// <summary>
/// A token-level strategy that owns its decoding loop (speculative decoding, cross-tokenizer ensembles).
/// The host stops enumerating at <see cref="SamplingOptions.MaxTokens"/>, a stop string or cancellation;
/// the strategy stops on end-of-sequence.
/// </summary>
public interface IDecodingStrategy : IMedleyStrategy
{
    /// <summary>Generates output for one request.</summary>
    /// <param name="context">Members, prompt, parameters and sampler.</param>
    /// <param name="cancellationToken">Cancels generation.</param>
    /// <returns>The output as it is produced.</returns>
    IAsyncEnumerable<TokenEvent> DecodeAsync(DecodingContext context, CancellationToken cancellationToken);
}
