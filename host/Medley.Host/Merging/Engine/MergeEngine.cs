using System.Buffers;
using System.Diagnostics;
using Medley.Host.Merging.Configuration;
using Medley.Host.Merging.Planning;
using Medley.Host.Tensors;
using Medley.Sdk;
using Medley.Sdk.Merging;
using PlannedOutput = Medley.Host.Merging.Planning.PlannedTensor;

namespace Medley.Host.Merging.Engine;

/// <summary>
/// Runs a validated merge: plans every output tensor from the inputs' headers, then streams tensor by
/// tensor (several at once, within the memory budget) through the merge method into a sharded checkpoint
/// that appears in the output folder only when complete. Only the tensors in flight are ever in memory.
/// </summary>
internal sealed class MergeEngine(IMergeMethod method)
{
    // Conservative multiple of a tensor's float32 size for method scratch (task vectors, masks).
    private const int ScratchFactor = 2;

    // Per input, a generous bound on what a streaming method and the output conversion hold at once.
    private const long StreamingBufferBytes = 8L << 20;

    public MergeReport Run(ValidatedMergeConfig config, MergeRunOptions options, IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        CheckOutputFolder(options);
        var checkpoints = new Dictionary<string, SafetensorsCheckpoint>(StringComparer.Ordinal);
        try
        {
            foreach (var model in config.Config.ReferencedModels)
            {
                cancellationToken.ThrowIfCancellationRequested();
                checkpoints[model.Name] = SafetensorsCheckpoint.Open(model.Folder);
            }

            var tensorsByModel = checkpoints.ToDictionary(
                pair => pair.Key,
                pair => (IReadOnlyDictionary<string, long[]>)pair.Value.TensorNames.ToDictionary(n => n, n => pair.Value.GetInfo(n).Shape.ToArray(), StringComparer.Ordinal),
                StringComparer.Ordinal);
            var plan = MergePlanner.Plan(config, tensorsByModel);
            var outputDtype = ResolveOutputDtype(config, options);
            var entries = plan.Tensors.Select(t => new TensorPlanEntry(t.OutputName, OutputDtypeOf(t, checkpoints, outputDtype), t.Shape)).ToList();

            using var writer = SafetensorsCheckpointWriter.Create(
                options.OutputFolder,
                entries,
                new CheckpointWriterOptions
                {
                    MaxShardBytes = options.ShardSize,
                    Overwrite = options.Force,
                    Metadata = new Dictionary<string, string> { ["medley_merge_method"] = config.Method.Name },
                });
            var bytesRead = MergeTensors(plan, checkpoints, writer, options, progress, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();

            var floatDtype = entries.Select(e => e.Dtype).FirstOrDefault(d => d.IsConvertibleToSingle(), SafetensorsDtype.F32);
            MergeArtifacts.Write(writer, config, plan, floatDtype);
            var written = writer.TotalSize;
            writer.Commit();

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            using var process = Process.GetCurrentProcess();
            return new MergeReport(
                config.Method.Name,
                Path.GetFullPath(options.OutputFolder),
                plan.Tensors.Count,
                plan.OutputLayerCount,
                bytesRead,
                written,
                Directory.EnumerateFiles(options.OutputFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!,
                seconds,
                bytesRead / 1e9 / Math.Max(seconds, 1e-9),
                process.PeakWorkingSet64,
                options.Threads,
                options.Seed);
        }
        finally
        {
            foreach (var checkpoint in checkpoints.Values)
            {
                checkpoint.Dispose();
            }
        }
    }

    /// <summary>Refuses an existing output before any tensor is read, so a long merge cannot fail at its end.</summary>
    private static void CheckOutputFolder(MergeRunOptions options)
    {
        var folder = Path.GetFullPath(options.OutputFolder);
        if (File.Exists(folder))
        {
            throw new MedleyException("merge.output.exists", $"Output '{folder}' is a file; expected a folder for the merged model.");
        }

        if (!options.Force && Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new MedleyException(
                "merge.output.exists",
                $"Output folder '{folder}' already exists and is not empty; choose another -o folder or pass --force to replace it.");
        }
    }

    private static SafetensorsDtype? ResolveOutputDtype(ValidatedMergeConfig config, MergeRunOptions options)
    {
        var name = options.OutputDtype ?? config.Config.OutDtype ?? config.Config.Dtype;
        if (name is null)
        {
            return null;
        }

        return MergeDtypes.TryParse(name, out var dtype)
            ? dtype
            : throw new MedleyException(
                "merge.dtype.invalid",
                $"--dtype '{name}' is not a supported dtype; expected one of {string.Join(", ", MergeDtypes.Names)}.",
                MedleyErrorKind.Usage);
    }

    private static SafetensorsDtype OutputDtypeOf(PlannedOutput tensor, Dictionary<string, SafetensorsCheckpoint> checkpoints, SafetensorsDtype? requested)
    {
        var source = SourceOf(tensor);
        var sourceDtype = checkpoints[source.ModelName].GetInfo(source.TensorName).Dtype;
        if (!sourceDtype.IsConvertibleToSingle())
        {
            return sourceDtype;
        }

        return requested ?? sourceDtype;
    }

    /// <summary>The input the output's shape and any non-merged part come from: the base, else the first input.</summary>
    private static PlannedInput SourceOf(PlannedOutput tensor) => tensor.Base ?? tensor.Inputs[0];

    private long MergeTensors(
        TensorPlan plan,
        Dictionary<string, SafetensorsCheckpoint> checkpoints,
        SafetensorsCheckpointWriter writer,
        MergeRunOptions options,
        IProgress<ProgressUpdate>? progress,
        CancellationToken cancellationToken)
    {
        var budget = new TensorMemoryBudget(options.MemoryBudget);
        var totalBytes = plan.Tensors.Sum(t => t.Inputs.Concat(t.Base is null ? [] : [t.Base]).Sum(i => checkpoints[i.ModelName].GetInfo(i.TensorName).ByteLength));
        long bytesRead = 0;
        long tensorsDone = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Threads), CancellationToken = cancellationToken };
        // Largest tensors first, so that the last tensors to finish are small and no core idles behind one big
        // tensor (embeddings and lm_head are the largest and come first and last in plan order).
        var bySize = Enumerable.Range(0, plan.Tensors.Count).OrderByDescending(i => TensorShapes.ElementCount(plan.Tensors[i].Shape)).ThenBy(i => i).ToList();
        var indices = System.Collections.Concurrent.Partitioner.Create(bySize, System.Collections.Concurrent.EnumerablePartitionerOptions.NoBuffering);
        Parallel.ForEach(indices, parallel, index =>
        {
            var tensor = plan.Tensors[index];
            var read = MergeOne(tensor, checkpoints, writer, budget, options.Seed, cancellationToken);
            var total = Interlocked.Add(ref bytesRead, read);
            var done = Interlocked.Increment(ref tensorsDone);
            progress?.Report(new ProgressUpdate("merge", total, totalBytes, "bytes", $"{done}/{plan.Tensors.Count} {tensor.OutputName}"));
        });
        return bytesRead;
    }

    /// <summary>
    /// Streams a whole tensor through a streaming method: inputs are converted part by part straight from the mapped
    /// files and the output is converted and written as it comes, so only small buffers (and, for random
    /// sparsifiers, a bit per element and input) are held.
    /// </summary>
    private static long MergeStreaming(
        IStreamingMergeMethod method,
        PlannedOutput tensor,
        Dictionary<string, SafetensorsCheckpoint> checkpoints,
        SafetensorsCheckpointWriter writer,
        TensorMemoryBudget budget,
        int inputCount,
        ulong seed,
        CancellationToken cancellationToken)
    {
        var elementCount = TensorShapes.ElementCount(tensor.Shape);
        var granted = budget.Acquire((StreamingBufferBytes * (inputCount + 4)) + (inputCount * (elementCount / 8)), cancellationToken);
        try
        {
            long read = 0;
            StreamingMergeInput Open(PlannedInput input)
            {
                var checkpoint = checkpoints[input.ModelName];
                read += checkpoint.GetInfo(input.TensorName).ByteLength;
                return new StreamingMergeInput(input.ModelName, new CheckpointTensorReader(checkpoint, input.TensorName), input.Parameters);
            }

            var inputs = tensor.Inputs.Select(Open).ToList();
            var baseInput = tensor.Base is null ? null : Open(tensor.Base);
            using var output = new ConvertingTensorWriter(writer, tensor.OutputName, writer.GetPlannedDtype(tensor.OutputName), elementCount);
            var context = new StreamingMergeContext(
                tensor.OutputName,
                tensor.MergeShape,
                inputs,
                baseInput,
                tensor.Parameters,
                output,
                DeterministicRandom.Derive(seed, tensor.OutputName));
            method.MergeTensorStreaming(context, cancellationToken);
            output.Complete();
            return read;
        }
        finally
        {
            budget.Release(granted);
        }
    }

    private long MergeOne(
        PlannedOutput tensor,
        Dictionary<string, SafetensorsCheckpoint> checkpoints,
        SafetensorsCheckpointWriter writer,
        TensorMemoryBudget budget,
        ulong seed,
        CancellationToken cancellationToken)
    {
        var source = SourceOf(tensor);
        var sourceCheckpoint = checkpoints[source.ModelName];
        var sourceInfo = sourceCheckpoint.GetInfo(source.TensorName);
        if (!sourceInfo.Dtype.IsConvertibleToSingle())
        {
            // Integer and bool tensors (position ids, masks) are not merged: they are copied through.
            writer.WriteTensor(tensor.OutputName, sourceCheckpoint.GetBytes(source.TensorName));
            return sourceInfo.ByteLength;
        }

        var outputCount = checked((int)TensorShapes.ElementCount(tensor.Shape));
        var mergeCount = checked((int)TensorShapes.ElementCount(tensor.MergeShape));
        var inputCount = tensor.Inputs.Count + (tensor.Base is null ? 0 : 1);
        if (method is IStreamingMergeMethod streaming && mergeCount == outputCount)
        {
            return MergeStreaming(streaming, tensor, checkpoints, writer, budget, inputCount, seed, cancellationToken);
        }

        var granted = budget.Acquire(4L * ((inputCount * (long)mergeCount * (1 + ScratchFactor)) + outputCount), cancellationToken);
        var rented = new List<float[]>(inputCount + 1);
        try
        {
            long read = 0;
            MergeInput Load(PlannedInput input)
            {
                var buffer = ArrayPool<float>.Shared.Rent(mergeCount);
                rented.Add(buffer);
                var checkpoint = checkpoints[input.ModelName];
                checkpoint.ReadAsSingle(input.TensorName, 0, buffer.AsSpan(0, mergeCount));
                read += (long)mergeCount * checkpoint.GetInfo(input.TensorName).Dtype.ElementSize();
                return new MergeInput(input.ModelName, buffer.AsMemory(0, mergeCount), input.Parameters);
            }

            var inputs = tensor.Inputs.Select(Load).ToList();
            var baseInput = tensor.Base is null ? null : Load(tensor.Base);
            var output = ArrayPool<float>.Shared.Rent(outputCount);
            rented.Add(output);
            if (mergeCount != outputCount)
            {
                // Vocabulary rows beyond the common block keep the base's (or first input's) values.
                sourceCheckpoint.ReadAsSingle(source.TensorName, output.AsSpan(0, outputCount));
                read += sourceInfo.ByteLength;
            }

            var context = new MergeTensorContext(
                tensor.OutputName,
                tensor.MergeShape,
                inputs,
                baseInput,
                tensor.Parameters,
                output.AsMemory(0, mergeCount),
                DeterministicRandom.Derive(seed, tensor.OutputName));
            method.MergeTensor(context, cancellationToken);
            writer.WriteTensor(tensor.OutputName, output.AsSpan(0, outputCount));
            return read;
        }
        finally
        {
            foreach (var buffer in rented)
            {
                ArrayPool<float>.Shared.Return(buffer);
            }

            budget.Release(granted);
        }
    }
}
