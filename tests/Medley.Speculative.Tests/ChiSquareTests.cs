namespace Medley.Speculative.Tests;

public sealed class ChiSquareTests
{
    [Theory]
    [InlineData(10, 29.588)]
    [InlineData(30, 59.703)]
    [InlineData(50, 86.661)]
    public void The_critical_value_matches_the_tables(int degreesOfFreedom, double tabled)
    {
        Assert.Equal(tabled, ChiSquare.CriticalValueAtOnePerMille(degreesOfFreedom), tabled * 0.01);
    }

    [Fact]
    public void The_statistic_of_a_hand_checked_case()
    {
        // Expected 50, 30, 20 of 100; observed 40, 35, 25: 100/50 + 25/30 + 25/20 = 2 + 0.8333 + 1.25 = 4.0833, 2 degrees of freedom.
        var (statistic, degrees) = ChiSquare.Test(
            new Dictionary<string, double> { ["a"] = 0.5, ["b"] = 0.3, ["c"] = 0.2 },
            new Dictionary<string, int> { ["a"] = 40, ["b"] = 35, ["c"] = 25 });

        Assert.Equal(4.083333, statistic, 1e-5);
        Assert.Equal(2, degrees);
    }

    [Fact]
    public void An_outcome_the_distribution_rules_out_is_infinitely_unlikely()
    {
        var (statistic, _) = ChiSquare.Test(
            new Dictionary<string, double> { ["a"] = 1.0 },
            new Dictionary<string, int> { ["a"] = 9, ["b"] = 1 });

        Assert.Equal(double.PositiveInfinity, statistic);
    }
}
