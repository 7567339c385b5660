using Medley.Sdk;

namespace Medley.Cooperation.Speculative;

/// <summary>What one request's speculation did, published to the request's counters after every round.</summary>
internal sealed class SpeculationCounters
{
    public int TargetCalls { get; set; }

    public int DraftCalls { get; set; }

    public int DraftedTokens { get; set; }

    public int AcceptedTokens { get; set; }

    public int GeneratedTokens { get; set; }

    public void Publish(StrategyCounters counters, TimeSpan elapsed)
    {
        counters.Set("target_calls", TargetCalls);
        counters.Set("draft_calls", DraftCalls);
        counters.Set("drafted_tokens", DraftedTokens);
        counters.Set("accepted_tokens", AcceptedTokens);
        counters.Set("generated_tokens", GeneratedTokens);
        counters.Set("acceptance_rate", DraftedTokens > 0 ? (double)AcceptedTokens / DraftedTokens : 0);

        // Every target call is one verification round (the first also reads the prompt).
        counters.Set("mean_accepted_length", TargetCalls > 0 ? (double)AcceptedTokens / TargetCalls : 0);
        counters.Set("tokens_per_target_call", TargetCalls > 0 ? (double)GeneratedTokens / TargetCalls : 0);
        counters.Set("tokens_per_second", elapsed > TimeSpan.Zero ? GeneratedTokens / elapsed.TotalSeconds : 0);
    }
}
