using Medley.Merging.Tests.Support;
using Medley.Sdk;
using Medley.Sdk.Merging;
using Medley.Sdk.Merging.Primitives;

namespace Medley.Merging.Tests;

/// <summary>
/// The streaming form of a merge (parts of 8 192 values, decided over the whole tensor first) must equal the
/// whole-tensor form bit for bit, whatever the values: ties at the magnitude cut-off, zeros, NaN and infinities,
/// lengths that are not multiples of a part, a mask word or a vector.
/// </summary>
public class StreamingEquivalenceTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "linear", "{}" },
        { "linear", "{\"normalize\": false}" },
        { "task_arithmetic", "{\"lambda\": 0.7}" },
        { "ties", "{}" },
        { "ties", "{\"rescale\": true}" },
        { "ties", "{\"normalize\": false, \"lambda\": 1.3}" },
        { "dare_ties", "{}" },
        { "dare_ties", "{\"rescale\": false, \"normalize\": true}" },
        { "dare_linear", "{}" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Streaming_merge_equals_the_whole_tensor_merge_bit_for_bit(string name, string globals)
    {
        var method = (IStreamingMergeMethod)Methods.Get(name);
        foreach (var (count, special) in new[] { (20_011, false), (20_011, true), (8_192, false), (7, true), (1, false) })
        {
            AssertEquivalent(method.MergeTensor, method.MergeTensorStreaming, count, special, globals, $"{name} {globals} n={count} special={special}");
        }
    }

    [Theory]
    [InlineData(SparsificationMethod.Magnitude, SparsificationRescale.InverseDensity)]
    [InlineData(SparsificationMethod.Random, SparsificationRescale.InverseDensity)]
    [InlineData(SparsificationMethod.Magnitude, SparsificationRescale.L1Norm)]
    [InlineData(SparsificationMethod.Random, SparsificationRescale.None)]
    public void Every_rescale_mode_streams_bit_for_bit(SparsificationMethod sparsification, SparsificationRescale rescale)
    {
        var method = new GeneralizedTaskArithmetic("test", ConsensusMethod.Sum, sparsification, defaultNormalize: true, defaultRescale: true, rescale);
        AssertEquivalent(method.MergeTensor, method.MergeTensorStreaming, 20_011, special: true, "{}", $"{sparsification} {rescale}");
    }

    [Fact]
    public void Density_one_for_one_model_leaves_its_task_vector_whole_in_both_forms()
    {
        var method = (IStreamingMergeMethod)Methods.Get("ties");
        AssertEquivalent(method.MergeTensor, method.MergeTensorStreaming, 20_011, special: false, "{}", "ties density 1", densities: [1.0, 0.4, 0.0]);
    }

    private static void AssertEquivalent(
        Action<MergeTensorContext, CancellationToken> whole,
        Action<StreamingMergeContext, CancellationToken> streaming,
        int count,
        bool special,
        string globals,
        string label,
        double[]? densities = null)
    {
        var random = new Random(count + (special ? 1 : 0));
        // Values on a coarse grid, so that many magnitudes tie at the cut-off.
        float Value() => (random.Next(-40, 41) / 16f) + (random.Next(0, 3) == 0 ? 0f : 1f);
        var baseValues = Enumerable.Range(0, count).Select(_ => Value()).ToArray();
        var models = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, count).Select(_ => Value()).ToArray()).ToArray();
        if (special && count > 6)
        {
            models[0][1] = float.NaN;
            models[1][2] = float.PositiveInfinity;
            models[2][3] = -0f;
            models[2][4] = baseValues[4];
            baseValues[5] = float.NegativeInfinity;
        }

        densities ??= [0.5, 0.3, 0.7];
        var parameters = new[] { 0.6, -0.2, 0.9 }
            .Select((w, i) => StrategyParameters.FromValues(MergeRunner.P(("weight", w), ("density", densities[i]))))
            .ToArray();
        var globalParameters = StrategyParameters.FromJson(globals);
        long[] shape = [count];
        const ulong seed = 1234;

        var expected = new float[count];
        Array.Fill(expected, 12345f);
        var inputs = models.Select((m, i) => new MergeInput($"model{i}", m, parameters[i])).ToArray();
        whole(new MergeTensorContext("t", shape, inputs, new MergeInput("base", baseValues, StrategyParameters.Empty), globalParameters, expected, seed), CancellationToken.None);

        var output = new ListWriter();
        var streamed = models.Select((m, i) => new StreamingMergeInput($"model{i}", new ArrayReader(m), parameters[i])).ToArray();
        streaming(new StreamingMergeContext("t", shape, streamed, new StreamingMergeInput("base", new ArrayReader(baseValues), StrategyParameters.Empty), globalParameters, output, seed), CancellationToken.None);

        Assert.True(output.Values.Count == count, $"{label}: streaming wrote {output.Values.Count} values; expected {count}.");
        for (var i = 0; i < count; i++)
        {
            var e = BitConverter.SingleToUInt32Bits(expected[i]);
            var a = BitConverter.SingleToUInt32Bits(output.Values[i]);
            Assert.True(e == a, $"{label}: element {i} is {output.Values[i]} (0x{a:X8}) streamed but {expected[i]} (0x{e:X8}) whole.");
        }
    }

    private sealed class ArrayReader(float[] values) : ITensorChunkReader
    {
        public void Read(int elementOffset, Span<float> destination) => values.AsSpan(elementOffset, destination.Length).CopyTo(destination);
    }

    private sealed class ListWriter : ITensorChunkWriter
    {
        public List<float> Values { get; } = [];

        public void Write(ReadOnlySpan<float> values) => Values.AddRange(values);
    }
}
