using Medley.Sdk.Decoding;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medley.Sdk.Testing;

/// <summary>Checks an <see cref="IDecodingStrategy"/> on the kit's in-memory models, as the host runs it.</summary>
public static class DecodingStrategyConformance
{
    // Tokens a strategy may still emit after the prompt before a forced end-of-sequence must stop it.
    private const int TokensBeforeEndOfSequence = 3;

    /// <summary>
    /// Runs the strategy on <see cref="ConformanceLanguageModel"/> members and checks: it emits at least one and at most
    /// <see cref="DecodingConformanceOptions.MaxTokens"/> tokens; every emitted id is in the vocabulary; two runs with the
    /// same seed emit the same tokens; when the models put end-of-sequence first it stops there, emitting nothing after it;
    /// an already cancelled token ends the run with <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <param name="strategy">The strategy under test.</param>
    /// <param name="options">Roles, parameters and limits; defaults when <see langword="null"/>.</param>
    /// <returns>A task that completes when the check passes.</returns>
    /// <exception cref="ConformanceException">Listing every broken rule.</exception>
    public static async Task CheckAsync(IDecodingStrategy strategy, DecodingConformanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        options ??= new DecodingConformanceOptions();
        var subject = $"decoding strategy {strategy.GetType().FullName}";
        var violations = new ViolationList();
        var vocabulary = ConformanceTokenizer.Instance.VocabularySize;

        await CancellationProbe.CheckAsync(
                "DecodeAsync",
                token => RunAsync(strategy, options, endOfSequenceAtLength: null, token),
                options.CancellationBound,
                violations)
            .ConfigureAwait(false);

        var first = await TryRunAsync(strategy, options, null, "a run", violations).ConfigureAwait(false);
        var second = await TryRunAsync(strategy, options, null, "a second run", violations).ConfigureAwait(false);
        if (first is not null)
        {
            var ids = first.SelectMany(e => e.TokenIds).ToList();
            if (ids.Count == 0)
            {
                violations.Add($"a run with max_tokens {options.MaxTokens} and end-of-sequence made unlikely emitted no token.");
            }

            if (ids.Count > options.MaxTokens)
            {
                violations.Add($"a run emitted {ids.Count} tokens; max_tokens is {options.MaxTokens}.");
            }

            var invalid = ids.FindIndex(id => id < 0 || id >= vocabulary);
            if (invalid >= 0)
            {
                violations.Add($"a run emitted token id {ids[invalid]}; ids lie in [0, {vocabulary}).");
            }

            if (second is not null && !ids.SequenceEqual(second.SelectMany(e => e.TokenIds)))
            {
                violations.Add($"two runs with seed {options.Seed} emitted different tokens ([{string.Join(", ", ids)}] then [{string.Join(", ", second.SelectMany(e => e.TokenIds))}]); a strategy must be deterministic for its seed.");
            }
        }

        var promptLength = ConformanceTokenizer.Instance.Encode(options.Prompt, addSpecialTokens: true).Count;
        var stopping = await TryRunAsync(strategy, options, promptLength + TokensBeforeEndOfSequence, "a run whose models put end-of-sequence first", violations)
            .ConfigureAwait(false);
        if (stopping is not null)
        {
            var ids = stopping.SelectMany(e => e.TokenIds).ToList();
            var end = ids.IndexOf(ConformanceTokenizer.EndOfSequenceId);
            if (end >= 0 && end < ids.Count - 1)
            {
                violations.Add($"a run emitted {ids.Count - end - 1} token(s) after end-of-sequence; generation ends at end-of-sequence.");
            }

            var content = ids.Count(id => id != ConformanceTokenizer.EndOfSequenceId);
            if (content > TokensBeforeEndOfSequence + 1)
            {
                violations.Add($"a run emitted {content} tokens although its models put end-of-sequence first after {TokensBeforeEndOfSequence}; it must stop at end-of-sequence.");
            }
        }

        violations.ThrowIfAny(subject);
    }

    private static async Task<List<TokenEvent>?> TryRunAsync(
        IDecodingStrategy strategy,
        DecodingConformanceOptions options,
        int? endOfSequenceAtLength,
        string what,
        ViolationList violations)
    {
        try
        {
            return await RunAsync(strategy, options, endOfSequenceAtLength, CancellationToken.None, violations).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            violations.Add($"{what} threw {ex.GetType().Name}: {ex.Message}");
            return null;
        }
    }

    private static async Task<List<TokenEvent>> RunAsync(
        IDecodingStrategy strategy,
        DecodingConformanceOptions options,
        int? endOfSequenceAtLength,
        CancellationToken cancellationToken,
        ViolationList? violations = null)
    {
        var members = ConformanceMembers.Create(options.MemberRoles, endOfSequenceAtLength: endOfSequenceAtLength);
        var given = members.ToArray();
        var sampler = new ConformanceTokenSampler(new SamplingOptions
        {
            Temperature = options.Temperature,
            Seed = options.Seed,
            MaxTokens = options.MaxTokens,
        });
        var context = new DecodingContext(members, options.Prompt, options.Parameters, sampler, new StrategyCounters(), NullLogger.Instance);
        var events = new List<TokenEvent>();
        await foreach (var tokenEvent in strategy.DecodeAsync(context, cancellationToken).ConfigureAwait(false))
        {
            events.Add(tokenEvent);
            if (events.Sum(e => e.TokenIds.Count) > options.MaxTokens * 4)
            {
                // A strategy that ignores the limit would run forever; enough has been seen to report it.
                break;
            }
        }

        if (!members.SequenceEqual(given))
        {
            violations?.Add("DecodeAsync changed the context's member list; it belongs to the host.");
        }

        return events;
    }
}
