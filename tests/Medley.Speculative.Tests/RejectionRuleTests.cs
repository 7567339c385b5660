using CsCheck;
using Medley.Cooperation.Speculative;

namespace Medley.Speculative.Tests;

public sealed class RejectionRuleTests
{
    [Fact]
    public void Acceptance_and_residual_of_a_hand_checked_case()
    {
        // p = (0.5, 0.3, 0.2), q = (0.2, 0.6, 0.2): token 1 is kept with 0.3 / 0.6 = 0.5, tokens 0 and 2 always;
        // max(0, p − q) = (0.3, 0, 0), so a rejection always yields token 0.
        float[] p = [0.5f, 0.3f, 0.2f];
        float[] q = [0.2f, 0.6f, 0.2f];
        var residual = new float[3];

        Assert.Equal(1.0, SpeculativeVerification.AcceptProbability(p, q, 0));
        Assert.Equal(0.5, SpeculativeVerification.AcceptProbability(p, q, 1), 1e-6);
        Assert.Equal(1.0, SpeculativeVerification.AcceptProbability(p, q, 2));
        Assert.Equal(0.3, SpeculativeVerification.Residual(p, q, residual), 1e-6);
        Assert.Equal(0.3f, residual[0], 1e-6f);
        Assert.Equal(0f, residual[1]);
        Assert.Equal(0f, residual[2]);
    }

    [Fact]
    public void The_top_probability_is_the_largest_softmax_entry_of_the_raw_logits()
    {
        // softmax(0, ln 3) = (0.25, 0.75).
        Assert.Equal(0.75, SpeculativeVerification.TopProbability([0f, MathF.Log(3f)]), 1e-6);
        Assert.Equal(1.0, SpeculativeVerification.TopProbability([float.NegativeInfinity, 2f]), 1e-12);
    }

    [Fact]
    public void One_drafted_token_then_the_rule_gives_exactly_the_target_distribution()
    {
        // P(out = y) = q(y) a(y) + (1 − Σ q a) r(y) / Σ r: the whole reason the rule is exact, checked in double
        // precision against p for random pairs of distributions (some entries zero, as top-k leaves them).
        var weights = Gen.Float[0f, 1f].Select(w => w < 0.2f ? 0f : w).Array[6].Where(w => w.Sum() > 0.1f);
        Gen.Select(weights, weights).Sample((pWeights, qWeights) =>
        {
            var p = Normalise(pWeights);
            var q = Normalise(qWeights);
            var residual = new float[p.Length];
            var residualMass = SpeculativeVerification.Residual(p, q, residual);
            var kept = new double[p.Length];
            var keptMass = 0.0;
            for (var y = 0; y < p.Length; y++)
            {
                kept[y] = q[y] * SpeculativeVerification.AcceptProbability(p, q, y);
                keptMass += kept[y];
            }

            for (var y = 0; y < p.Length; y++)
            {
                var output = kept[y] + (residualMass > 0 ? (1 - keptMass) * residual[y] / residualMass : 0);
                Assert.Equal(p[y], output, 1e-5);
            }
        }, iter: 2000);
    }

    private static float[] Normalise(float[] weights)
    {
        var total = weights.Sum();
        return weights.Select(w => w / total).ToArray();
    }
}
