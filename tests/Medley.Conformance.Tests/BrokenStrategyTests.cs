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
}
