using System.Diagnostics;

namespace Medley.Benchmarks;

/// <summary>Reads files front to back into one reused buffer: the rate a merge's input reading can at best reach.</summary>
internal static class RawRead
{
    private const int BufferBytes = 16 << 20;

    public static double GigabytesPerSecond(IReadOnlyList<string> files)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(BufferBytes);
        long total = 0;
        var started = Stopwatch.GetTimestamp();
        foreach (var file in files)
        {
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
            long offset = 0;
            int read;
            while ((read = RandomAccess.Read(handle, buffer, offset)) > 0)
            {
                offset += read;
            }

            total += offset;
        }

        return total / 1e9 / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>
    /// Converts every tensor of the checkpoints to float32 in parts of <paramref name="partLength"/> values, as a
    /// streaming merge reads its inputs: the input side of a merge without any merging.
    /// </summary>
    public static double ConvertGigabytesPerSecond(IReadOnlyList<string> checkpointFolders, int partLength)
    {
        var buffer = new float[partLength];
        long total = 0;
        var started = Stopwatch.GetTimestamp();
        foreach (var folder in checkpointFolders)
        {
            using var checkpoint = Medley.Host.Tensors.SafetensorsCheckpoint.Open(folder);
            foreach (var name in checkpoint.TensorNames)
            {
                var info = checkpoint.GetInfo(name);
                for (long start = 0; start < info.ElementCount; start += partLength)
                {
                    var length = (int)Math.Min(partLength, info.ElementCount - start);
                    checkpoint.ReadAsSingle(name, start, buffer.AsSpan(0, length));
                }

                total += info.ByteLength;
            }
        }

        return total / 1e9 / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> to a new file in 16 MB pieces and flushes it to disk, as the merge writes its
    /// output: a floor under any merge's wall time.
    /// </summary>
    public static double WriteGigabytesPerSecond(string folder, long bytes)
    {
        var buffer = new byte[BufferBytes];
        Random.Shared.NextBytes(buffer);
        var path = Path.Combine(folder, "raw-write.bin");
        var started = Stopwatch.GetTimestamp();
        using (var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write))
        {
            for (long offset = 0; offset < bytes; offset += BufferBytes)
            {
                RandomAccess.Write(handle, buffer.AsSpan(0, (int)Math.Min(BufferBytes, bytes - offset)), offset);
            }

            RandomAccess.FlushToDisk(handle);
        }

        var rate = bytes / 1e9 / Stopwatch.GetElapsedTime(started).TotalSeconds;
        File.Delete(path);
        return rate;
    }

    /// <summary>Flushes dirty pages and asks the kernel to drop the page cache (needs root); says what happened.</summary>
    public static string DropCaches()
    {
        try
        {
            using (var sync = Process.Start(new ProcessStartInfo("sync") { UseShellExecute = false }))
            {
                sync?.WaitForExit();
            }

            File.WriteAllText("/proc/sys/vm/drop_caches", "3\n");
            return "page cache dropped (sync; echo 3 > /proc/sys/vm/drop_caches)";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return $"page cache NOT dropped ({ex.GetType().Name}: {ex.Message}); the cold pass is only cold-ish";
        }
    }
}
