using Medley.Cooperation.Speculative;
using Medley.Host.Sampling;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medley.Speculative.Tests;

/// <summary>One speculative generation as a test sees it: the emitted ids, the text and the strategy's counters.</summary>
public sealed record SpeculativeRun(IReadOnlyList<int> Tokens, string Text, IReadOnlyList<TokenEvent> Events, IReadOnlyDictionary<string, double> Counters)
{
    public static DecodingContext Context(
        ICausalLanguageModel target, ICausalLanguageModel draft, string prompt, SamplingOptions sampling, StrategyParameters parameters) =>
        new(
            [new DecodingMember("target", "big", target, StrategyParameters.Empty), new DecodingMember("draft", "small", draft, StrategyParameters.Empty)],
            prompt,
            parameters,
            new TokenSampler(sampling),
            new StrategyCounters(),
            NullLogger.Instance);

    public static Task<SpeculativeRun> RunAsync(
        ICausalLanguageModel target, ICausalLanguageModel draft, string prompt, SamplingOptions sampling, StrategyParameters parameters) =>
        RunAsync(new SpeculativeDecodingStrategy(), Context(target, draft, prompt, sampling, parameters));

    internal static async Task<SpeculativeRun> RunAsync(IDecodingStrategy strategy, DecodingContext context)
    {
        var events = new List<TokenEvent>();
        await foreach (var item in strategy.DecodeAsync(context, CancellationToken.None))
        {
            events.Add(item);
        }

        return new SpeculativeRun(
            events.SelectMany(e => e.TokenIds).ToList(),
            string.Concat(events.Select(e => e.Text)),
            events,
            context.Counters.Snapshot());
    }

    public static StrategyParameters Parameters(int draftTokens, string schedule, double confidenceThreshold = 0.4) =>
        StrategyParameters.FromValues(new Dictionary<string, object?>
        {
            ["draft_tokens"] = draftTokens,
            ["schedule"] = schedule,
            ["max_draft_tokens"] = 8,
            ["confidence_threshold"] = confidenceThreshold,
        });
}
