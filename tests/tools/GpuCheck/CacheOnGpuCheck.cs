using System.Globalization;
using Medley.Host.Plugins;
using Medley.Host.Runtime;
using Medley.Host.Runtime.Devices;
using Medley.Host.Tokenization;
using Medley.Sdk.Models;

namespace Medley.Tools.GpuCheck;

/// <summary>
/// A cuda:0 session keeps its KV cache in GPU memory across appends, and rewinds (by masking) and forks on it give
/// the logits a CPU session computes without them. The CPU model runs in this same process on the CUDA build's
/// CPU execution provider.
/// </summary>
internal sealed class CacheOnGpuCheck(PluginCatalog catalog, string modelFolder)
{
    // Same device, same kernels: a masked rewind or a fork may only change the order of a few float sums.
    private const double SameDeviceTolerance = 1e-3;

    // CUDA and CPU kernels differ (TF32 matmuls on the GPU), so across devices only gross errors are caught.
    private const double CrossDeviceTolerance = 2e-2;

    public async Task<string> RunAsync()
    {
        var selection = new DeviceSelector(catalog).Select("cuda:0");
        using var gpu = OnnxCausalLanguageModel.Load(new OnnxModelOptions
        {
            Path = modelFolder,
            TokenizerFactory = HfTokenizerLoader.Load,
            ConfigureSession = selection.ConfigureSession,
            Device = "cuda:0",
        });
        using var cpu = OnnxCausalLanguageModel.Load(new OnnxModelOptions { Path = modelFolder, TokenizerFactory = HfTokenizerLoader.Load });
        int[] prompt = [.. Enumerable.Range(0, 20).Select(i => 100 + (i * 37))];
        int[] kept = [7, 8];
        int[] dropped = [9, 10, 11];
        int[] after = [12, 13, 14];

        using var session = (OnnxDecodingSession)gpu.CreateSession();
        await session.AppendAsync(prompt);
        var memory = session.CacheMemory;
        Expect(memory == "Cuda", $"after the prompt the cache is in {memory} memory, expected Cuda");
        await session.AppendAsync((int[])[.. kept, .. dropped], LogitsScope.All);
        session.Rewind(prompt.Length + kept.Length);
        var dead = session.DeadSlots;
        Expect(dead == dropped.Length, $"{dead} dead slots after the rewind, expected {dropped.Length}");
        using var fork = (OnnxDecodingSession)session.Fork();
        var rewound = await session.AppendAsync(after, LogitsScope.All);
        var forked = await fork.AppendAsync(after[..1]);

        int[] straight = [.. prompt, .. kept, .. after];
        var first = prompt.Length + kept.Length;
        var onGpu = await LogitsAsync(gpu, straight);
        var onCpu = await LogitsAsync(cpu, straight);

        // The same appends without the detour: its distance from one straight pass is the kernels' own noise
        // (TF32 matmuls round differently for different chunk sizes), the yardstick for the rewound session.
        using var control = gpu.CreateSession();
        await control.AppendAsync(prompt);
        await control.AppendAsync(kept);
        var controlled = await control.AppendAsync(after, LogitsScope.All);

        // What a rewind that forgot to drop the tokens would give: the check must tell it apart.
        var unmasked = await LogitsAsync(gpu, [.. prompt, .. kept, .. dropped, .. after]);

        var noise = Enumerable.Range(0, after.Length).Max(i => MaxAbsDiff(controlled.Row(i).Span, onGpu[first + i]));
        var tolerance = Math.Max(SameDeviceTolerance, 4 * noise);
        var rewindDiff = Enumerable.Range(0, after.Length).Max(i => MaxAbsDiff(rewound.Row(i).Span, controlled.Row(i).Span));
        var forkDiff = MaxAbsDiff(forked.Last.Span, onGpu[first]);
        var wrongDiff = Enumerable.Range(0, after.Length).Max(i => MaxAbsDiff(unmasked[^(after.Length - i)], controlled.Row(i).Span));
        var deviceDiff = Enumerable.Range(0, straight.Length).Max(i => MaxAbsDiff(onGpu[i], onCpu[i]));
        var numbers = string.Create(CultureInfo.InvariantCulture,
            $"max |Δ| after a masked rewind of {dropped.Length} then {after.Length} tokens {rewindDiff:G3} (kernel noise {noise:G3}, tolerance {tolerance:G3}; an unmasked cache would be off by {wrongDiff:G3}); fork {forkDiff:G3}; straight GPU vs CPU {deviceDiff:G3}");
        Expect(rewindDiff <= tolerance, "rewind: " + numbers);
        Expect(forkDiff <= tolerance, "fork: " + numbers);
        Expect(wrongDiff >= 10 * rewindDiff, "the check cannot tell a masked cache from an unmasked one: " + numbers);
        Expect(deviceDiff <= CrossDeviceTolerance, "device: " + numbers);
        Expect(session.CacheMemory == "Cuda" && fork.CacheMemory == "Cuda", "the cache left GPU memory");
        return $"cache in {memory} memory; " + numbers;
    }
    private static async Task<float[][]> LogitsAsync(ICausalLanguageModel model, int[] tokens)
    {
        using var session = model.CreateSession();
        var logits = await session.AppendAsync(tokens, LogitsScope.All);
        return [.. Enumerable.Range(0, logits.Positions).Select(i => logits.Row(i).ToArray())];
    }

    private static double MaxAbsDiff(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        var max = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            max = Math.Max(max, Math.Abs(actual[i] - expected[i]));
        }

        return max;
    }

    private static void Expect(bool condition, string failure)
    {
        if (!condition)
        {
            throw new CheckFailedException(failure);
        }
    }
}
