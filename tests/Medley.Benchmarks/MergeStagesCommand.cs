using System.Diagnostics;
using System.Globalization;
using Medley.Host.Tensors;
using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Benchmarks;

/// <summary>
/// Stopwatch profile of one thread merging every tensor: how long reading+converting the inputs, the method's
/// MergeTensor and converting+writing the output take, to find what to optimize.
/// </summary>
internal static class MergeStagesCommand
{
    public static int Run(BenchmarkArguments arguments)
    {
        var root = arguments.KeepFolder ?? Path.Combine(Path.GetTempPath(), $"medley-stages-{Guid.NewGuid():N}");
        try
        {
            var layers = LlamaCheckpoints.LayersFor(arguments.SizeGigabytes);
            var (baseFolder, fineTuneFolders) = LlamaCheckpoints.Generate(root, layers);
            foreach (var method in arguments.Methods)
            {
                Profile(method, baseFolder, fineTuneFolders, Path.Combine(root, $"stages-{method}"));
            }

            return 0;
        }
        finally
        {
            if (arguments.KeepFolder is null && Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static void Profile(string strategy, string baseFolder, IReadOnlyList<string> fineTuneFolders, string output)
    {
        var method = PluginMethods.Create(strategy);
        using var baseModel = SafetensorsCheckpoint.Open(baseFolder);
        var fineTunes = fineTuneFolders.Select(SafetensorsCheckpoint.Open).ToList();
        try
        {
            var names = baseModel.TensorNames;
            var plan = names.Select(n => new TensorPlanEntry(n, SafetensorsDtype.BF16, baseModel.GetInfo(n).Shape.ToArray())).ToList();
            using var writer = SafetensorsCheckpointWriter.Create(output, plan, new CheckpointWriterOptions { Overwrite = true });
            var weights = new[] { 0.5, 0.3, 0.2 };
            var parameters = weights.Select(w => StrategyParameters.FromJson(string.Create(CultureInfo.InvariantCulture, $"{{\"weight\": {w}, \"density\": 0.5}}"))).ToList();
            var usesBase = method.Traits.BaseModel != BaseModelUse.None;
            TimeSpan read = default, merge = default, write = default;
            long bytes = 0;
            foreach (var name in names)
            {
                var info = baseModel.GetInfo(name);
                var count = checked((int)info.ElementCount);
                var stopwatch = Stopwatch.StartNew();
                var inputs = new List<MergeInput>();
                for (var i = 0; i < fineTunes.Count; i++)
                {
                    inputs.Add(new MergeInput($"model{i + 1}", ReadAll(fineTunes[i], name, count), parameters[i]));
                }

                var baseValues = ReadAll(baseModel, name, count);
                var baseInput = new MergeInput("base", baseValues, StrategyParameters.FromJson("{\"weight\": 0.1}"));
                if (!usesBase)
                {
                    inputs.Add(baseInput);
                }

                bytes += 4L * info.ByteLength;
                read += stopwatch.Elapsed;
                stopwatch.Restart();
                var values = new float[count];
                method.MergeTensor(
                    new MergeTensorContext(name, info.Shape.ToArray(), inputs, usesBase ? baseInput : null, StrategyParameters.Empty, values, DeterministicRandom.Derive(0UL, name)),
                    CancellationToken.None);
                merge += stopwatch.Elapsed;
                stopwatch.Restart();
                writer.WriteTensor(name, values);
                write += stopwatch.Elapsed;
            }

            var total = read + merge + write;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{strategy,-16} 1 thread, {bytes / 1e9:0.00} GB in: read+convert {read.TotalSeconds:0.00} s, MergeTensor {merge.TotalSeconds:0.00} s, convert+write {write.TotalSeconds:0.00} s; total {total.TotalSeconds:0.00} s = {bytes / 1e9 / total.TotalSeconds:0.00} GB/s"));
        }
        finally
        {
            foreach (var checkpoint in fineTunes)
            {
                checkpoint.Dispose();
            }
        }
    }

    private static float[] ReadAll(SafetensorsCheckpoint checkpoint, string name, int count)
    {
        var values = GC.AllocateUninitializedArray<float>(count);
        checkpoint.ReadAsSingle(name, values);
        return values;
    }
}
