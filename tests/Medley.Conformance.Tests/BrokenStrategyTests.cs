using Medley.Conformance.Tests.Broken;
using Medley.Sdk.Testing;

namespace Medley.Conformance.Tests;

/// <summary>Strategies with one deliberate contract bug each fail the kit, with that bug (and only it) named.</summary>
public sealed class BrokenStrategyTests
{
    [Fact]
    public void A_merge_that_writes_into_its_input_is_reported()
    {
        var error = Assert.Throws<ConformanceException>(() => MergeMethodConformance.Check(new MutatingMergeMethod()));

        var violation = Assert.Single(error.Violations);
        Assert.Equal("MergeTensor changed input model0; inputs are read-only.", violation);
        Assert.Contains(typeof(MutatingMergeMethod).FullName!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_merge_that_is_not_deterministic_for_its_seed_is_reported()
    {
        var error = Assert.Throws<ConformanceException>(() => MergeMethodConformance.Check(new NoisyMergeMethod()));

        var violation = Assert.Single(error.Violations);
        Assert.StartsWith("two merges with seed 3 differ", violation, StringComparison.Ordinal);
        Assert.EndsWith("a merge must be deterministic for its seed.", violation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_combiner_whose_scores_cannot_be_normalised_is_reported()
    {
        var error = await Assert.ThrowsAsync<ConformanceException>(() => StepCombinerConformance.CheckAsync(new UnnormalisableStepCombiner()));

        // Every step breaks the rule; the kit names the first step with each distinct message.
        Assert.Equal(6, error.Violations.Count);
        Assert.Equal(
            "Combine wrote +∞ at score 5 at step 0; scores are log-probabilities up to a constant, so they cannot be normalised with +∞.",
            error.Violations[0]);
        Assert.All(error.Violations, v => Assert.Contains("+∞ at score 5", v, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_decoding_strategy_that_ignores_cancellation_is_reported()
    {
        var error = await Assert.ThrowsAsync<ConformanceException>(
            () => DecodingStrategyConformance.CheckAsync(new CancellationIgnoringDecodingStrategy(), new DecodingConformanceOptions { MemberRoles = ["member"] }));

        var violation = Assert.Single(error.Violations);
        Assert.Equal("DecodeAsync with an already cancelled token completed normally; it must throw OperationCanceledException.", violation);
    }

    [Fact]
    public async Task A_response_strategy_that_lets_a_member_exception_escape_is_reported()
    {
        var error = await Assert.ThrowsAsync<ConformanceException>(() => ResponseStrategyConformance.CheckAsync(new RawExceptionResponseStrategy()));

        var violation = Assert.Single(error.Violations);
        Assert.Equal(
            "a request with every member failing threw HttpRequestException (The conformance member is scripted to fail.); it must throw MedleyException with a stable code.",
            violation);
    }

    [Fact]
    public async Task A_response_strategy_that_keeps_running_when_cancelled_is_reported_within_the_bound()
    {
        var options = new ResponseConformanceOptions { CancellationBound = TimeSpan.FromMilliseconds(300), SurvivesOneFailingMember = false };

        var error = await Assert.ThrowsAsync<ConformanceException>(() => ResponseStrategyConformance.CheckAsync(new HangingResponseStrategy(), options));

        Assert.Contains(
            "GetResponseAsync with an already cancelled token was still running after 0.3 s; it must throw OperationCanceledException promptly.",
            error.Violations);
    }

    [Fact]
    public async Task A_decoding_strategy_that_ignores_the_token_limit_is_reported()
    {
        var error = await Assert.ThrowsAsync<ConformanceException>(
            () => DecodingStrategyConformance.CheckAsync(new LimitIgnoringDecodingStrategy(), new DecodingConformanceOptions { MemberRoles = ["member"], MaxTokens = 5 }));

        // The kit stops reading at four times the limit, so a runaway strategy is reported rather than waited for.
        var violation = Assert.Single(error.Violations);
        Assert.Equal("a run emitted 21 tokens; max_tokens is 5.", violation);
    }

    [Fact]
    public void A_provider_whose_probe_throws_is_reported()
    {
        var error = Assert.Throws<ConformanceException>(() => ProviderConformance.Check(new ThrowingProbeProvider()));

        var violation = Assert.Single(error.Violations);
        Assert.Equal(
            "Probe threw DllNotFoundException (libnpu.so); report a missing device or library as ProviderAvailability.Unavailable(reason).",
            violation);
    }
}
