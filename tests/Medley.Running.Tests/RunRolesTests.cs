using Medley.Host.Plugins;
using Medley.Host.Running;
using Medley.Sdk;

namespace Medley.Running.Tests;

public sealed class RunRolesTests
{
    private static readonly StrategyDescriptor Speculative = new(
        "speculative", StrategyKind.Decoding, "draft and verify",
        [new StrategyRole("target", Summary: "the model whose output is kept"), new StrategyRole("draft"), new StrategyRole("helper", Required: false, Multiple: true)],
        null, "Test", "Test.Speculative");

    [Fact]
    public void Members_that_fit_the_roles_have_no_problems()
    {
        Assert.Empty(RunRoles.Problems(Speculative, [Member("target"), Member("draft"), Member("helper"), Member("helper")]));
        Assert.Empty(RunRoles.Problems(Speculative, [Member("target"), Member("draft")]));
    }

    [Fact]
    public void A_missing_required_role_is_named_with_its_summary()
    {
        Assert.Equal(
            ["models.target: strategy 'speculative' requires a model for role 'target' (the model whose output is kept), but none is given"],
            RunRoles.Problems(Speculative, [Member("draft")]));
    }

    [Fact]
    public void An_unknown_role_lists_the_strategys_roles()
    {
        Assert.Equal(
            ["models.drafter: strategy 'speculative' has no role 'drafter' (its roles: target, draft, helper)"],
            RunRoles.Problems(Speculative, [Member("target"), Member("draft"), Member("drafter")]));
    }

    [Fact]
    public void Several_models_for_a_single_role_are_refused()
    {
        Assert.Equal(
            ["models.draft: strategy 'speculative' takes one model for role 'draft', but 2 are given"],
            RunRoles.Problems(Speculative, [Member("target"), Member("draft"), Member("draft")]));
    }

    [Fact]
    public void Check_throws_every_problem_in_one_error()
    {
        var config = new RunConfig { Source = "run.yml", Strategy = "speculative", Members = [Member("drafter")] };
        var error = Assert.Throws<MedleyException>(() => RunRoles.Check(Speculative, config));
        Assert.Equal(RunErrorCodes.RolesInvalid, error.Code);
        Assert.Equal(3, error.Details.Count);
        Assert.StartsWith("Run config 'run.yml' does not fit strategy 'speculative':", error.Message, StringComparison.Ordinal);
    }

    private static RunMemberConfig Member(string role) => new(role, "/models/" + role, role, null, StrategyParameters.Empty);
}
