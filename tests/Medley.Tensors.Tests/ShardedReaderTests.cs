using Medley.Host.Tensors;
using Medley.Sdk;

namespace Medley.Tensors.Tests;

public sealed class ShardedReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private void WriteShard(string fileName, params string[] tensorNames)
    {
        // Each tensor: U8 [1] holding its index in the list.
        var entries = tensorNames.Select((name, i) => $$"""
            "{{name}}":{"dtype":"U8","shape":[1],"data_offsets":[{{i}},{{i + 1}}]}
            """);
        RawSafetensors.Write(_folder.Combine(fileName), "{" + string.Join(",", entries) + "}", tensorNames.Select((_, i) => (byte)i).ToArray());
    }

    private void WriteIndex(string json) => File.WriteAllText(_folder.Combine("model.safetensors.index.json"), json);

    private MedleyException OpenFails(string expectedCode)
    {
        var ex = Assert.Throws<MedleyException>(() => SafetensorsCheckpoint.Open(_folder.Path).Dispose());
        Assert.Equal(expectedCode, ex.Code);
        return ex;
    }

    [Fact]
    public void A_sharded_checkpoint_opens_in_index_order()
    {
        WriteShard("s1.safetensors", "x", "y");
        WriteShard("s2.safetensors", "z");
        WriteIndex("""{"metadata":{"total_size":3},"weight_map":{"z":"s2.safetensors","x":"s1.safetensors","y":"s1.safetensors"}}""");
        using var checkpoint = SafetensorsCheckpoint.Open(_folder.Path);
        Assert.True(checkpoint.IsSharded);
        Assert.Equal(["z", "x", "y"], checkpoint.TensorNames);
        Assert.Equal([1], checkpoint.GetBytes("y").ToArray());
        Assert.EndsWith("s2.safetensors", checkpoint.GetInfo("z").FilePath, StringComparison.Ordinal);
    }

    [Fact]
    public void An_index_that_is_not_well_formed_is_rejected()
    {
        WriteIndex("""{"weight_map":{"x":"s1.safetensors",}}""");
        var ex = OpenFails(TensorErrorCodes.IndexInvalid);
        Assert.Contains("model.safetensors.index.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not well-formed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_index_without_a_weight_map_is_rejected()
    {
        WriteIndex("""{"metadata":{}}""");
        var ex = OpenFails(TensorErrorCodes.IndexInvalid);
        Assert.Contains("'weight_map'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_index_pointing_at_a_missing_shard_names_it()
    {
        WriteShard("s1.safetensors", "x");
        WriteIndex("""{"weight_map":{"x":"s1.safetensors","y":"s9.safetensors"}}""");
        var ex = OpenFails(TensorErrorCodes.IndexMissingShard);
        Assert.Contains("model.safetensors.index.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'s9.safetensors'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'y'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_index_may_not_point_outside_the_folder()
    {
        WriteIndex("""{"weight_map":{"x":"../s1.safetensors"}}""");
        var ex = OpenFails(TensorErrorCodes.IndexMissingShard);
        Assert.Contains("'../s1.safetensors'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("plain file name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tensor_listed_in_the_index_must_be_in_its_shard()
    {
        WriteShard("s1.safetensors", "x");
        WriteShard("s2.safetensors", "y");
        WriteIndex("""{"weight_map":{"x":"s1.safetensors","y":"s1.safetensors"}}""");
        var ex = OpenFails(TensorErrorCodes.IndexTensorMissingFromShard);
        Assert.Contains("'y'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("s1.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("expected the shard to hold it", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tensor_in_two_shards_is_rejected_naming_both()
    {
        WriteShard("s1.safetensors", "x", "y");
        WriteShard("s2.safetensors", "y");
        WriteIndex("""{"weight_map":{"x":"s1.safetensors","y":"s2.safetensors"}}""");
        var ex = OpenFails(TensorErrorCodes.IndexDuplicateTensor);
        Assert.Contains("'y'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("s1.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("s2.safetensors", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shard_tensor_missing_from_the_index_is_rejected()
    {
        WriteShard("s1.safetensors", "x", "extra");
        WriteIndex("""{"weight_map":{"x":"s1.safetensors"}}""");
        var ex = OpenFails(TensorErrorCodes.IndexTensorNotListed);
        Assert.Contains("'extra'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("s1.safetensors", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_shard_is_reported_with_its_own_file_name()
    {
        File.WriteAllBytes(_folder.Combine("s1.safetensors"), [0, 0]);
        WriteIndex("""{"weight_map":{"x":"s1.safetensors"}}""");
        var ex = OpenFails(TensorErrorCodes.FileTruncated);
        Assert.Contains("s1.safetensors", ex.Message, StringComparison.Ordinal);
    }
}
