using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;
using CsCheck;
using Medley.Host.Tensors;
using Medley.Sdk;

namespace Medley.Tensors.Tests;

public sealed class WriterTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Destination => _folder.Combine("out");

    private static byte[] Pattern(int length, int seed) => Enumerable.Range(0, length).Select(i => (byte)((i * 31) + seed)).ToArray();

    private static TensorPlanEntry F32(string name, params long[] shape) => new(name, SafetensorsDtype.F32, shape);

    [Fact]
    public void A_single_shard_round_trips_every_dtype_bit_for_bit()
    {
        TensorPlanEntry[] plan =
        [
            new("w.f32", SafetensorsDtype.F32, [2, 3]),
            new("w.bf16", SafetensorsDtype.BF16, [5]),
            new("w.f16", SafetensorsDtype.F16, [3]),
            new("ids.i64", SafetensorsDtype.I64, [2]),
            new("mask", SafetensorsDtype.BOOL, [3]),
            new("scalar", SafetensorsDtype.U8, []),
            new("empty", SafetensorsDtype.F32, [0, 4]),
        ];
        var data = plan.Select((p, i) => Pattern((int)TensorShapes.ElementCount(p.Shape) * p.Dtype.ElementSize(), i)).ToArray();
        using (var writer = SafetensorsCheckpointWriter.Create(Destination, plan, new CheckpointWriterOptions { Metadata = new Dictionary<string, string> { ["merged_by"] = "medley" } }))
        {
            Assert.Equal(["model.safetensors"], writer.ShardFileNames);
            for (var i = 0; i < plan.Length; i++)
            {
                writer.WriteTensor(plan[i].Name, data[i]);
            }

            writer.WriteFile("config.json", "{}"u8);
            writer.Commit();
        }

        Assert.Equal(["config.json", "model.safetensors"], Directory.GetFiles(Destination).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(_folder.Path).Select(Path.GetFileName));
        using var checkpoint = SafetensorsCheckpoint.Open(Destination);
        Assert.Equal(plan.Select(p => p.Name), checkpoint.TensorNames);
        Assert.Equal("pt", checkpoint.Metadata["format"]);
        Assert.Equal("medley", checkpoint.Metadata["merged_by"]);
        for (var i = 0; i < plan.Length; i++)
        {
            var info = checkpoint.GetInfo(plan[i].Name);
            Assert.Equal(plan[i].Dtype, info.Dtype);
            Assert.Equal(plan[i].Shape, info.Shape);
            Assert.Equal(data[i], checkpoint.GetBytes(plan[i].Name).ToArray());
        }
    }

    [Fact]
    public void The_header_is_padded_to_8_bytes_and_tensors_follow_each_other_without_gaps()
    {
        TensorPlanEntry[] plan = [F32("a", 3), new("b", SafetensorsDtype.U8, [5]), F32("c", 1)];
        using (var writer = SafetensorsCheckpointWriter.Create(Destination, plan))
        {
            writer.WriteTensor("a", new byte[12]);
            writer.WriteTensor("b", new byte[5]);
            writer.WriteTensor("c", new byte[4]);
            writer.Commit();
        }

        var bytes = File.ReadAllBytes(Path.Combine(Destination, "model.safetensors"));
        var headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        Assert.Equal(8 + headerLength + 21, bytes.Length);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        Assert.Equal("__metadata__", header.RootElement.EnumerateObject().First().Name);
        Assert.Equal("[0,12]", header.RootElement.GetProperty("a").GetProperty("data_offsets").GetRawText());
        Assert.Equal("[12,17]", header.RootElement.GetProperty("b").GetProperty("data_offsets").GetRawText());
        Assert.Equal("[17,21]", header.RootElement.GetProperty("c").GetProperty("data_offsets").GetRawText());
    }

    [Fact]
    public void A_small_budget_gives_three_shards_named_like_mergekit_with_an_index()
    {
        // Six F32 [10] tensors of 40 bytes with an 80-byte budget: two per shard, three shards.
        var plan = Enumerable.Range(0, 6).Select(i => F32($"layer.{i}.weight", 10)).ToArray();
        using (var writer = SafetensorsCheckpointWriter.Create(Destination, plan, new CheckpointWriterOptions { MaxShardBytes = 80 }))
        {
            Assert.Equal(
                ["model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors", "model-00003-of-00003.safetensors"],
                writer.ShardFileNames);
            foreach (var (entry, i) in plan.Select((e, i) => (e, i)).Reverse())
            {
                writer.WriteTensor(entry.Name, Enumerable.Range(0, 10).Select(k => (float)((i * 10) + k)).ToArray());
            }

            writer.Commit();
        }

        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Destination, "model.safetensors.index.json")));
        Assert.Equal(240, index.RootElement.GetProperty("metadata").GetProperty("total_size").GetInt64());
        var weightMap = index.RootElement.GetProperty("weight_map").EnumerateObject().Select(p => (p.Name, p.Value.GetString())).ToArray();
        Assert.Equal(
            [
                ("layer.0.weight", "model-00001-of-00003.safetensors"), ("layer.1.weight", "model-00001-of-00003.safetensors"),
                ("layer.2.weight", "model-00002-of-00003.safetensors"), ("layer.3.weight", "model-00002-of-00003.safetensors"),
                ("layer.4.weight", "model-00003-of-00003.safetensors"), ("layer.5.weight", "model-00003-of-00003.safetensors"),
            ],
            weightMap);
        Assert.False(File.Exists(Path.Combine(Destination, "model.safetensors")));

        using var checkpoint = SafetensorsCheckpoint.Open(Destination);
        Assert.True(checkpoint.IsSharded);
        Assert.Equal(3, checkpoint.Files.Count);
        Assert.All(checkpoint.Files, f => Assert.Equal("pt", f.Header.Metadata["format"]));
        var values = new float[10];
        checkpoint.ReadAsSingle("layer.4.weight", values);
        Assert.Equal(Enumerable.Range(40, 10).Select(v => (float)v), values);
    }

    [Fact]
    public void A_tensor_larger_than_the_budget_gets_a_shard_of_its_own()
    {
        TensorPlanEntry[] plan = [F32("small.a", 1), F32("big", 100), F32("small.b", 1), F32("small.c", 1)];
        using var writer = SafetensorsCheckpointWriter.Create(Destination, plan, new CheckpointWriterOptions { MaxShardBytes = 10 });
        Assert.Equal(3, writer.ShardFileNames.Count);
        Assert.Equal(412, writer.TotalSize);
    }

    [Fact]
    public void Float_values_are_rounded_to_the_planned_dtype()
    {
        TensorPlanEntry[] plan = [new("b", SafetensorsDtype.BF16, [3]), new("h", SafetensorsDtype.F16, [2])];
        using (var writer = SafetensorsCheckpointWriter.Create(Destination, plan))
        {
            // 1 + 2^-8 ties to 1.0 in BF16; 1 + 3·2^-8 ties to 1 + 2^-6; 1 + 2^-11 ties to 1.0 in F16.
            writer.WriteTensor("b", [1.00390625f, 1.01171875f, float.NaN]);
            writer.WriteTensor("h", [1.00048828125f, -2f]);
            writer.Commit();
        }

        using var checkpoint = SafetensorsCheckpoint.Open(Destination);
        Assert.Equal([0x3F80, 0x3F82, 0x7FC0], MemoryMarshal.Cast<byte, ushort>(checkpoint.GetBytes("b")).ToArray());
        Assert.Equal([0x3C00, 0xC000], MemoryMarshal.Cast<byte, ushort>(checkpoint.GetBytes("h")).ToArray());
        var read = new float[2];
        checkpoint.ReadAsSingle("h", read);
        Assert.Equal([1f, -2f], read);
    }

    [Fact]
    public void Tensors_written_from_several_threads_in_any_order_land_in_place()
    {
        var plan = Enumerable.Range(0, 32).Select(i => new TensorPlanEntry($"t{i}", i % 2 == 0 ? SafetensorsDtype.F64 : SafetensorsDtype.BF16, [100 + i])).ToArray();
        using (var writer = SafetensorsCheckpointWriter.Create(Destination, plan, new CheckpointWriterOptions { MaxShardBytes = 2000 }))
        {
            Parallel.For(0, plan.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
                writer.WriteTensor(plan[^(i + 1)].Name, Enumerable.Range(0, 100 + plan.Length - 1 - i).Select(k => (float)(k + (i * 1000))).ToArray()));
            writer.Commit();
        }

        using var checkpoint = SafetensorsCheckpoint.Open(Destination);
        Assert.True(checkpoint.Files.Count > 1);
        for (var t = 0; t < plan.Length; t++)
        {
            // Tensor t was written by iteration i = 31 − t with values k + 1000·i; all are exact in BF16
            // only while small, so compare against the value rounded through the tensor's own dtype.
            var values = new float[100 + t];
            checkpoint.ReadAsSingle(plan[t].Name, values);
            var i = plan.Length - 1 - t;
            for (var k = 0; k < values.Length; k++)
            {
                float exact = k + (i * 1000);
                var expected = plan[t].Dtype == SafetensorsDtype.F64 ? exact : BitConverter.UInt32BitsToSingle((uint)TensorConversion.SingleToBFloat16(BitConverter.SingleToUInt32Bits(exact)) << 16);
                Assert.Equal(expected, values[k]);
            }
        }
    }

    [Fact]
    public void Integer_tensors_pass_through_unchanged()
    {
        long[] ids = [long.MinValue, -1, 0, long.MaxValue];
        using (var writer = SafetensorsCheckpointWriter.Create(Destination, [new("ids", SafetensorsDtype.I64, [4])]))
        {
            writer.WriteTensor("ids", MemoryMarshal.AsBytes(ids.AsSpan()));
            var ex = Assert.Throws<MedleyException>(() => writer.WriteTensor("ids", new float[4]));
            Assert.Contains("'ids'", ex.Message, StringComparison.Ordinal);
            writer.Commit();
        }

        using var checkpoint = SafetensorsCheckpoint.Open(Destination);
        Assert.Equal(ids, MemoryMarshal.Cast<byte, long>(checkpoint.GetBytes("ids")).ToArray());
    }

    [Fact]
    public void Chunks_must_come_in_order_and_complete_the_tensor()
    {
        using var writer = SafetensorsCheckpointWriter.Create(Destination, [F32("a", 4)]);
        writer.WriteTensorChunk("a", 0, new byte[8]);
        var outOfOrder = Assert.Throws<MedleyException>(() => writer.WriteTensorChunk("a", 12, new byte[4]));
        Assert.Equal(TensorErrorCodes.WriterInvalidWrite, outOfOrder.Code);
        Assert.Contains("offset 8", outOfOrder.Message, StringComparison.Ordinal);
        var incomplete = Assert.Throws<MedleyException>(writer.Commit);
        Assert.Equal(TensorErrorCodes.WriterIncomplete, incomplete.Code);
        Assert.Contains("'a'", incomplete.Message, StringComparison.Ordinal);
        Assert.Equal(["'a': 8 of 16 bytes"], incomplete.Details);
        writer.WriteTensorChunk("a", 8, new byte[8]);
        var twice = Assert.Throws<MedleyException>(() => writer.WriteTensor("a", new byte[16]));
        Assert.Contains("already written", twice.Message, StringComparison.Ordinal);
        writer.Commit();
        Assert.True(File.Exists(Path.Combine(Destination, "model.safetensors")));
    }

    [Fact]
    public void Writes_that_do_not_fit_the_plan_name_the_tensor()
    {
        using var writer = SafetensorsCheckpointWriter.Create(Destination, [F32("a", 2)]);
        var unknown = Assert.Throws<MedleyException>(() => writer.WriteTensor("zzz", new byte[8]));
        Assert.Equal(TensorErrorCodes.WriterInvalidWrite, unknown.Code);
        Assert.Contains("'zzz'", unknown.Message, StringComparison.Ordinal);
        var wrongLength = Assert.Throws<MedleyException>(() => writer.WriteTensor("a", new byte[7]));
        Assert.Contains("needs 8 bytes; 7 were given", wrongLength.Message, StringComparison.Ordinal);
        var reserved = Assert.Throws<MedleyException>(() => writer.WriteFile("model.safetensors", "x"u8));
        Assert.Contains("'model.safetensors'", reserved.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plan_with_a_repeated_name_is_refused_before_anything_is_written()
    {
        var ex = Assert.Throws<MedleyException>(() => SafetensorsCheckpointWriter.Create(Destination, [F32("a", 1), F32("a", 2)]));
        Assert.Equal(TensorErrorCodes.WriterInvalidPlan, ex.Code);
        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void Disposing_without_commit_leaves_nothing_behind()
    {
        var plan = Enumerable.Range(0, 4).Select(i => F32($"t{i}", 8)).ToArray();
        using (var writer = SafetensorsCheckpointWriter.Create(Destination, plan, new CheckpointWriterOptions { MaxShardBytes = 64 }))
        {
            writer.WriteTensor("t0", new float[8]);
            writer.WriteFile("config.json", "{}"u8);
            Assert.True(Directory.Exists(writer.StagingFolder));
            Assert.StartsWith(_folder.Path, writer.StagingFolder, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Destination));
        }

        Assert.Empty(Directory.GetFileSystemEntries(_folder.Path));
    }

    [Fact]
    public void A_non_empty_destination_is_refused_unless_overwrite_is_asked()
    {
        Directory.CreateDirectory(Destination);
        File.WriteAllText(Path.Combine(Destination, "old.txt"), "old");
        var ex = Assert.Throws<MedleyException>(() => SafetensorsCheckpointWriter.Create(Destination, [F32("a", 1)]));
        Assert.Equal(TensorErrorCodes.WriterDestinationExists, ex.Code);
        Assert.Contains(Destination, ex.Message, StringComparison.Ordinal);

        using (var writer = SafetensorsCheckpointWriter.Create(Destination, [F32("a", 1)], new CheckpointWriterOptions { Overwrite = true }))
        {
            writer.WriteTensor("a", [3f]);
            writer.Commit();
        }

        Assert.Equal(["model.safetensors"], Directory.GetFiles(Destination).Select(Path.GetFileName));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(_folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Random_plans_round_trip_through_writer_and_reader()
    {
        SafetensorsDtype[] dtypes = [SafetensorsDtype.F32, SafetensorsDtype.F16, SafetensorsDtype.BF16, SafetensorsDtype.I64, SafetensorsDtype.I32, SafetensorsDtype.U8, SafetensorsDtype.BOOL];
        var genEntry = Gen.Select(Gen.Int[0, dtypes.Length - 1], Gen.Long[0, 6].Array[0, 3], Gen.Int[0, 255], (d, shape, seed) => (Dtype: dtypes[d], Shape: shape, Seed: seed));
        var genCase = Gen.Select(genEntry.Array[1, 8], Gen.Long[1, 400]);
        var run = 0;
        genCase.Sample(
            (entries, budget) =>
            {
                var destination = _folder.Combine($"case{run++}");
                var plan = entries.Select((e, i) => new TensorPlanEntry($"t.{i}", e.Dtype, e.Shape)).ToArray();
                var data = plan.Select((p, i) => Pattern((int)TensorShapes.ElementCount(p.Shape) * p.Dtype.ElementSize(), entries[i].Seed)).ToArray();
                using (var writer = SafetensorsCheckpointWriter.Create(destination, plan, new CheckpointWriterOptions { MaxShardBytes = budget }))
                {
                    for (var i = 0; i < plan.Length; i++)
                    {
                        writer.WriteTensor(plan[i].Name, data[i]);
                    }

                    writer.Commit();
                }

                using var checkpoint = SafetensorsCheckpoint.Open(destination);
                Assert.Equal(plan.Select(p => p.Name), checkpoint.TensorNames);
                Assert.Equal(data.Sum(d => (long)d.Length), checkpoint.TensorNames.Sum(n => checkpoint.GetInfo(n).ByteLength));
                for (var i = 0; i < plan.Length; i++)
                {
                    Assert.Equal(plan[i].Shape, checkpoint.GetInfo(plan[i].Name).Shape);
                    Assert.Equal(data[i], checkpoint.GetBytes(plan[i].Name).ToArray());
                }
            },
            iter: 60);
    }
}
