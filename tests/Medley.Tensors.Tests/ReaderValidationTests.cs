using System.Buffers.Binary;
using Medley.Host.Tensors;
using Medley.Sdk;

namespace Medley.Tensors.Tests;

public sealed class ReaderValidationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string ModelPath => _folder.Combine("model.safetensors");

    private MedleyException OpenFails(string expectedCode)
    {
        var ex = Assert.Throws<MedleyException>(() => SafetensorsCheckpoint.Open(_folder.Path).Dispose());
        Assert.Equal(expectedCode, ex.Code);
        return ex;
    }

    private MedleyException HeaderFails(string header, byte[] data, string expectedCode)
    {
        RawSafetensors.Write(ModelPath, header, data);
        var ex = OpenFails(expectedCode);
        Assert.Contains("model.safetensors", ex.Message, StringComparison.Ordinal);
        return ex;
    }

    [Fact]
    public void A_valid_file_opens_and_reads_its_values()
    {
        RawSafetensors.WriteValid(ModelPath);
        using var checkpoint = SafetensorsCheckpoint.Open(_folder.Path);
        Assert.False(checkpoint.IsSharded);
        Assert.Equal(["a", "b"], checkpoint.TensorNames);
        Assert.Equal("pt", checkpoint.Metadata["format"]);
        var values = new float[2];
        checkpoint.ReadAsSingle("a", values);
        Assert.Equal([1f, 2f], values);
        Assert.Equal(7, BinaryPrimitives.ReadInt32LittleEndian(checkpoint.GetBytes("b")));
        Assert.Equal([2L], checkpoint.GetInfo("a").Shape);
    }

    [Fact]
    public void A_folder_with_neither_layout_is_named_with_what_was_looked_for()
    {
        var ex = OpenFails(TensorErrorCodes.CheckpointNotFound);
        Assert.Contains(_folder.Path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("model.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("model.safetensors.index.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_shorter_than_the_length_prefix_is_truncated()
    {
        File.WriteAllBytes(ModelPath, [1, 2, 3]);
        var ex = OpenFails(TensorErrorCodes.FileTruncated);
        Assert.Contains("model.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("3 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_length_beyond_the_file_is_rejected()
    {
        RawSafetensors.Write(ModelPath, "{}", [], headerLengthOverride: 1000);
        var ex = OpenFails(TensorErrorCodes.HeaderBeyondFile);
        Assert.Contains("model.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1000 bytes but only 2 bytes follow", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_length_over_the_cap_is_rejected_before_reading_it()
    {
        RawSafetensors.Write(ModelPath, "{}", [], headerLengthOverride: 100_000_001);
        var ex = OpenFails(TensorErrorCodes.HeaderTooLarge);
        Assert.Contains("model.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("at most 100000000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_that_is_not_well_formed_json_is_rejected()
    {
        var ex = HeaderFails("""{"a":{"dtype":"F32",""", [], TensorErrorCodes.HeaderInvalidJson);
        Assert.Contains("not well-formed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_that_is_not_an_object_is_rejected()
    {
        var ex = HeaderFails("[1, 2]", [], TensorErrorCodes.HeaderNotObject);
        Assert.Contains("expected a JSON object", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metadata_values_must_be_strings()
    {
        var ex = HeaderFails("""{"__metadata__":{"format":3}}""", [], TensorErrorCodes.HeaderInvalidMetadata);
        Assert.Contains("'format'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("expected a string", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_dtype_is_named_with_the_known_ones()
    {
        var ex = HeaderFails("""{"w":{"dtype":"F31","shape":[1],"data_offsets":[0,4]}}""", new byte[4], TensorErrorCodes.TensorUnknownDtype);
        Assert.Contains("'w'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'F31'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BF16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lower_case_dtype_is_unknown()
    {
        HeaderFails("""{"w":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}}""", new byte[4], TensorErrorCodes.TensorUnknownDtype);
    }

    [Theory]
    [InlineData("[-1]", "-1")]
    [InlineData("[1.5]", "1.5")]
    [InlineData("[\"2\"]", "\"2\"")]
    public void Shape_entries_must_be_non_negative_integers(string shape, string shownEntry)
    {
        var ex = HeaderFails($$$"""{"w":{"dtype":"F32","shape":{{{shape}}},"data_offsets":[0,4]}}""", new byte[4], TensorErrorCodes.TensorInvalidShape);
        Assert.Contains("'w'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(shownEntry, ex.Message, StringComparison.Ordinal);
        Assert.Contains("non-negative integer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_byte_length_that_does_not_match_the_shape_is_rejected()
    {
        // BF16 [2, 3] needs 12 bytes; the offsets give 10.
        var ex = HeaderFails("""{"w":{"dtype":"BF16","shape":[2,3],"data_offsets":[0,10]}}""", new byte[12], TensorErrorCodes.TensorSizeMismatch);
        Assert.Contains("'w'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("need 12 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("span 10", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Offsets_past_the_data_section_are_rejected()
    {
        var ex = HeaderFails("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", new byte[8], TensorErrorCodes.TensorOutOfBounds);
        Assert.Contains("'w'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 12]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(8 bytes)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_data_section_is_reported_as_out_of_bounds()
    {
        // A valid file cut short by 3 bytes: tensor "b" now ends past the data section.
        RawSafetensors.WriteValid(ModelPath);
        var bytes = File.ReadAllBytes(ModelPath);
        File.WriteAllBytes(ModelPath, bytes[..^3]);
        var ex = OpenFails(TensorErrorCodes.TensorOutOfBounds);
        Assert.Contains("model.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'b'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Begin_after_end_is_rejected()
    {
        var ex = HeaderFails("""{"w":{"dtype":"U8","shape":[0],"data_offsets":[4,0]}}""", new byte[4], TensorErrorCodes.TensorInvalidOffsets);
        Assert.Contains("'w'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("begin <= end", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[0]")]
    [InlineData("[0,-4]")]
    [InlineData("[0,4,8]")]
    public void Offsets_must_be_two_non_negative_integers(string offsets)
    {
        var ex = HeaderFails($$$"""{"w":{"dtype":"F32","shape":[1],"data_offsets":{{{offsets}}}}}""", new byte[8], TensorErrorCodes.TensorInvalidOffsets);
        Assert.Contains("'w'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[begin, end]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlapping_tensors_are_rejected_naming_both()
    {
        var ex = HeaderFails(
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""",
            new byte[12],
            TensorErrorCodes.TensorOverlap);
        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'b'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("own its bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_tensors_may_share_an_offset_and_gaps_are_allowed()
    {
        RawSafetensors.Write(
            ModelPath,
            """{"e":{"dtype":"F32","shape":[0,3],"data_offsets":[4,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"c":{"dtype":"U8","shape":[],"data_offsets":[6,7]}}""",
            [0, 0, 0x80, 0x3F, 9, 9, 42]);
        using var checkpoint = SafetensorsCheckpoint.Open(_folder.Path);
        Assert.Equal(0, checkpoint.GetBytes("e").Length);
        Assert.Equal(1L, checkpoint.GetInfo("c").ElementCount);
        Assert.Equal([42], checkpoint.GetBytes("c").ToArray());
        var one = new float[1];
        checkpoint.ReadAsSingle("a", one);
        Assert.Equal(1f, one[0]);
    }

    [Fact]
    public void A_tensor_entry_without_dtype_is_rejected()
    {
        var ex = HeaderFails("""{"w":{"shape":[1],"data_offsets":[0,4]}}""", new byte[4], TensorErrorCodes.TensorInvalidEntry);
        Assert.Contains("'w'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'dtype'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tensor_named_twice_in_one_header_is_rejected()
    {
        var ex = HeaderFails(
            """{"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"w":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}""",
            new byte[2],
            TensorErrorCodes.TensorDuplicateInHeader);
        Assert.Contains("'w'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_an_absent_tensor_names_it()
    {
        RawSafetensors.WriteValid(ModelPath);
        using var checkpoint = SafetensorsCheckpoint.Open(_folder.Path);
        var ex = Assert.Throws<MedleyException>(() => checkpoint.GetInfo("nope"));
        Assert.Equal(TensorErrorCodes.TensorNotFound, ex.Code);
        Assert.Contains("'nope'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Converting_an_integer_tensor_to_float_is_refused()
    {
        RawSafetensors.WriteValid(ModelPath);
        using var checkpoint = SafetensorsCheckpoint.Open(_folder.Path);
        var ex = Assert.Throws<MedleyException>(() => checkpoint.ReadAsSingle("b", new float[1]));
        Assert.Equal(TensorErrorCodes.TensorNotConvertible, ex.Code);
        Assert.Contains("'b'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("I32", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_range_of_elements_converts_alone()
    {
        // BF16 values 1, 2, 3, 4 (0x3F80, 0x4000, 0x4040, 0x4080); read elements 1..2.
        RawSafetensors.Write(
            ModelPath,
            """{"w":{"dtype":"BF16","shape":[4],"data_offsets":[0,8]}}""",
            [0x80, 0x3F, 0x00, 0x40, 0x40, 0x40, 0x80, 0x40]);
        using var checkpoint = SafetensorsCheckpoint.Open(_folder.Path);
        var part = new float[2];
        checkpoint.ReadAsSingle("w", 1, part);
        Assert.Equal([2f, 3f], part);
        Assert.Equal([0x40, 0x40], checkpoint.GetBytes("w", 4, 2).ToArray());
        Assert.Equal(8, checkpoint.GetMemory("w").Length);
    }
}
