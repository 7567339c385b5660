using Medley.Merging.Tests.Support;

namespace Medley.Merging.Tests;

public sealed class ThreadSafetyTests
{
    [Theory]
    [InlineData("ties")]
    [InlineData("dare_ties")]
    [InlineData("della")]
    [InlineData("breadcrumbs_ties")]
    public void Concurrent_tensors_on_one_instance_match_sequential_results(string name)
    {
        var method = Methods.Get(name);
        var random = new Random(31);
        var tensors = Enumerable.Range(0, 16).Select(_ =>
        {
            var baseValues = Enumerable.Range(0, 32 * 32).Select(_ => (float)random.NextDouble()).ToArray();
            float[][] models = [.. Enumerable.Range(0, 3).Select(_ => baseValues.Select(b => b + (float)random.NextDouble() - 0.5f).ToArray())];
            return (baseValues, models);
        }).ToArray();
        var parameters = new[]
        {
            MergeRunner.P(("weight", 1.0), ("density", 0.4)),
            MergeRunner.P(("weight", 0.5), ("density", 0.6)),
            MergeRunner.P(("weight", 2.0), ("density", 0.3)),
        };
        var sequential = tensors.Select((t, i) => MergeRunner.Run(method, t.baseValues, t.models, parameters, shape: [32, 32], seed: (ulong)i)).ToArray();
        var parallel = new float[tensors.Length][];
        Parallel.For(0, tensors.Length, i => parallel[i] = MergeRunner.Run(method, tensors[i].baseValues, tensors[i].models, parameters, shape: [32, 32], seed: (ulong)i));
        for (var i = 0; i < tensors.Length; i++)
        {
            Assert.Equal(sequential[i], parallel[i]);
        }
    }
}
