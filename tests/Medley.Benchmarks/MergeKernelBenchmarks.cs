using BenchmarkDotNet.Attributes;
using Medley.Sdk;
using Medley.Sdk.Merging;
using Medley.Sdk.Merging.Primitives;

namespace Medley.Benchmarks;

/// <summary>
/// The per-tensor kernel cost: one 11008x4096 tensor (a Llama-7B MLP projection) from three fine-tunes and a base,
/// merged by the same primitives the task_arithmetic, ties and dare_ties plugins forward to.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class MergeKernelBenchmarks
{
    private static readonly long[] Shape = [11008, 4096];

    private readonly GeneralizedTaskArithmetic _taskArithmetic = new("task_arithmetic", ConsensusMethod.None, SparsificationMethod.None, defaultNormalize: false, defaultRescale: false);
    private readonly GeneralizedTaskArithmetic _ties = new("ties", ConsensusMethod.Sum, SparsificationMethod.Magnitude, defaultNormalize: true, defaultRescale: false);
    private readonly GeneralizedTaskArithmetic _dareTies = new("dare_ties", ConsensusMethod.Sum, SparsificationMethod.Random, defaultNormalize: false, defaultRescale: true);
    private MergeInput[] _models = [];
    private MergeInput? _base;
    private float[] _output = [];

    [GlobalSetup]
    public void Setup()
    {
        var count = (int)(Shape[0] * Shape[1]);
        var random = new DeterministicRandom(42);
        var baseValues = new float[count];
        for (var i = 0; i < count; i++)
        {
            baseValues[i] = (random.NextSingle() - 0.5f) * 0.1f;
        }

        _base = new MergeInput("base", baseValues, StrategyParameters.Empty);
        _models = new MergeInput[3];
        for (var m = 0; m < _models.Length; m++)
        {
            var values = new float[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = baseValues[i] + ((random.NextSingle() - 0.5f) * 0.02f);
            }

            _models[m] = new MergeInput($"model{m + 1}", values, StrategyParameters.FromJson($"{{\"weight\": {0.5 - (0.1 * m)}, \"density\": 0.5}}"));
        }

        _output = new float[count];
    }

    [Benchmark(Baseline = true)]
    public void TaskArithmeticKernel() => _taskArithmetic.MergeTensor(Context(), CancellationToken.None);

    [Benchmark]
    public void TiesKernel() => _ties.MergeTensor(Context(), CancellationToken.None);

    [Benchmark]
    public void DareTiesKernel() => _dareTies.MergeTensor(Context(), CancellationToken.None);

    private MergeTensorContext Context() => new("model.layers.0.mlp.up_proj.weight", Shape, _models, _base, StrategyParameters.Empty, _output, 7UL);
}
