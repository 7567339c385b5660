using Medley.Sdk;
using Medley.Sdk.Decoding;
using Microsoft.Extensions.Logging.Abstractions;

namespace Company.Plugin.Tests;

public sealed class SharpenedAverageCombinerTests
{
    private static async Task<float[]> CombineAsync(double temperature, params float[][] memberLogits)
    {
        var parameters = StrategyParameters.FromValues([new KeyValuePair<string, object?>("temperature", temperature)]);
        var context = new StepCombinerContext([], [], parameters, new StrategyCounters(), NullLogger.Instance);
        using var combination = await new SharpenedAverageCombiner().BeginAsync(context, CancellationToken.None);
        var scores = new float[memberLogits[0].Length];
        combination.Combine(new StepInput(0, [], memberLogits.Select(l => (ReadOnlyMemory<float>)l).ToList()), scores);
        return scores;
    }

    private static double[] Softmax(float[] scores)
    {
        var exps = scores.Select(s => Math.Exp(s)).ToArray();
        return exps.Select(e => e / exps.Sum()).ToArray();
    }

    [Fact]
    public async Task Temperature_one_gives_the_mean_of_the_members_probabilities()
    {
        // Member A: logits 0, 0, ln 2 -> p = [0.25, 0.25, 0.5].
        // Member B: logits 0, ln 3, 0 -> p = [0.2, 0.6, 0.2]. Mean: [0.225, 0.425, 0.35].
        var scores = await CombineAsync(1, [0f, 0f, (float)Math.Log(2)], [0f, (float)Math.Log(3), 0f]);

        var probabilities = Softmax(scores);
        Assert.Equal(0.225, probabilities[0], 5);
        Assert.Equal(0.425, probabilities[1], 5);
        Assert.Equal(0.35, probabilities[2], 5);
    }

    [Fact]
    public async Task Temperature_one_half_squares_the_mean_and_renormalises()
    {
        var scores = await CombineAsync(0.5, [0f, 0f, (float)Math.Log(2)], [0f, (float)Math.Log(3), 0f]);

        double[] squared = [0.225 * 0.225, 0.425 * 0.425, 0.35 * 0.35];
        var probabilities = Softmax(scores);
        for (var v = 0; v < 3; v++)
        {
            Assert.Equal(squared[v] / squared.Sum(), probabilities[v], 5);
        }
    }

    [Fact]
    public async Task A_temperature_of_zero_is_refused()
    {
        var error = await Assert.ThrowsAsync<MedleyException>(() => CombineAsync(0, [0f, 1f]));

        Assert.Contains("temperature", error.Message, StringComparison.Ordinal);
    }
}
