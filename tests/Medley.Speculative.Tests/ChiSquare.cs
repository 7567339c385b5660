namespace Medley.Speculative.Tests;

/// <summary>Pearson's chi-square goodness-of-fit test of observed outcome counts against exact probabilities.</summary>
public static class ChiSquare
{
    /// <summary>Cells whose expected count is below this are pooled, the usual condition for the chi-square approximation.</summary>
    private const double MinimumExpected = 5;

    /// <summary>The statistic and its degrees of freedom; an observed outcome of probability zero gives +∞.</summary>
    public static (double Statistic, int DegreesOfFreedom) Test(IReadOnlyDictionary<string, double> probabilities, IReadOnlyDictionary<string, int> observed)
    {
        var total = observed.Values.Sum();
        if (observed.Keys.Any(k => !probabilities.ContainsKey(k)))
        {
            return (double.PositiveInfinity, 0);
        }

        var cells = new List<(double Expected, int Observed)>();
        double pooledExpected = 0;
        var pooledObserved = 0;
        foreach (var (key, probability) in probabilities)
        {
            var expected = probability * total;
            var count = observed.GetValueOrDefault(key);
            if (expected < MinimumExpected)
            {
                pooledExpected += expected;
                pooledObserved += count;
            }
            else
            {
                cells.Add((expected, count));
            }
        }

        if (pooledExpected > 0)
        {
            if (pooledExpected < MinimumExpected && cells.Count > 0)
            {
                // Still too small on its own: fold the pool into the smallest cell.
                var smallest = cells.IndexOf(cells.MinBy(c => c.Expected));
                cells[smallest] = (cells[smallest].Expected + pooledExpected, cells[smallest].Observed + pooledObserved);
            }
            else
            {
                cells.Add((pooledExpected, pooledObserved));
            }
        }

        var statistic = cells.Sum(c => (c.Observed - c.Expected) * (c.Observed - c.Expected) / c.Expected);
        return (statistic, cells.Count - 1);
    }

    /// <summary>
    /// The chi-square quantile exceeded with probability 0.001 (Wilson–Hilferty approximation, within 1 % of the tables
    /// for 10 or more degrees of freedom).
    /// </summary>
    public static double CriticalValueAtOnePerMille(int degreesOfFreedom)
    {
        const double NormalQuantile = 3.090232306167813;
        var k = (double)degreesOfFreedom;
        var a = 2.0 / (9.0 * k);
        return k * Math.Pow(1 - a + NormalQuantile * Math.Sqrt(a), 3);
    }
}
