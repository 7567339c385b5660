namespace Medley.Host.Tensors;

/// <summary>The stable codes of <see cref="Medley.Sdk.MedleyException"/>s raised by the tensor store.</summary>
public static class TensorErrorCodes
{
    /// <summary>A folder holds neither <c>model.safetensors</c> nor <c>model.safetensors.index.json</c>.</summary>
    public const string CheckpointNotFound = "tensors.checkpoint.not_found";

    /// <summary>A safetensors file is shorter than its 8-byte length prefix.</summary>
    public const string FileTruncated = "tensors.file.truncated";

    /// <summary>A safetensors file could not be opened or mapped.</summary>
    public const string FileUnreadable = "tensors.file.unreadable";

    /// <summary>The header length points past the end of the file.</summary>
    public const string HeaderBeyondFile = "tensors.header.beyond_file";

    /// <summary>The header length exceeds <see cref="SafetensorsFile.MaxHeaderBytes"/>.</summary>
    public const string HeaderTooLarge = "tensors.header.too_large";

    /// <summary>The header is not well-formed UTF-8 JSON.</summary>
    public const string HeaderInvalidJson = "tensors.header.invalid_json";

    /// <summary>The header is JSON, but not an object.</summary>
    public const string HeaderNotObject = "tensors.header.not_object";

    /// <summary>The <c>__metadata__</c> entry is not an object of strings.</summary>
    public const string HeaderInvalidMetadata = "tensors.header.invalid_metadata";

    /// <summary>A tensor entry is not an object with <c>dtype</c>, <c>shape</c> and <c>data_offsets</c>.</summary>
    public const string TensorInvalidEntry = "tensors.tensor.invalid_entry";

    /// <summary>A tensor name appears twice in one header.</summary>
    public const string TensorDuplicateInHeader = "tensors.tensor.duplicate";

    /// <summary>A tensor's dtype is not one of <see cref="SafetensorsDtype"/>.</summary>
    public const string TensorUnknownDtype = "tensors.tensor.unknown_dtype";

    /// <summary>A shape entry is not a non-negative integer, or the element count overflows.</summary>
    public const string TensorInvalidShape = "tensors.tensor.invalid_shape";

    /// <summary>The data offsets are not two non-negative integers with begin &lt;= end.</summary>
    public const string TensorInvalidOffsets = "tensors.tensor.invalid_offsets";

    /// <summary>Shape × element size differs from end − begin.</summary>
    public const string TensorSizeMismatch = "tensors.tensor.size_mismatch";

    /// <summary>A tensor's bytes lie (partly) outside the data section.</summary>
    public const string TensorOutOfBounds = "tensors.tensor.out_of_bounds";

    /// <summary>Two tensors share bytes.</summary>
    public const string TensorOverlap = "tensors.tensor.overlap";

    /// <summary>A tensor name was asked for that the checkpoint does not hold.</summary>
    public const string TensorNotFound = "tensors.tensor.not_found";

    /// <summary>A float32 view was asked for an integer, boolean or 8-bit float tensor.</summary>
    public const string TensorNotConvertible = "tensors.tensor.not_convertible";

    /// <summary>A tensor is too large for one span (over 2 GiB); read it in ranges.</summary>
    public const string TensorTooLargeForSpan = "tensors.tensor.too_large_for_span";

    /// <summary><c>model.safetensors.index.json</c> is not well-formed or lacks a <c>weight_map</c> object of strings.</summary>
    public const string IndexInvalid = "tensors.index.invalid";

    /// <summary>The index names a shard file that does not exist, or a name that is not a plain file name.</summary>
    public const string IndexMissingShard = "tensors.index.missing_shard";

    /// <summary>The index lists a tensor its shard does not hold.</summary>
    public const string IndexTensorMissingFromShard = "tensors.index.tensor_missing_from_shard";

    /// <summary>A shard holds a tensor the index does not list for it.</summary>
    public const string IndexTensorNotListed = "tensors.index.tensor_not_listed";

    /// <summary>The same tensor name appears in two shards.</summary>
    public const string IndexDuplicateTensor = "tensors.index.duplicate_tensor";

    /// <summary>The writer was given a plan it cannot write (duplicate name, invalid shape, bad option).</summary>
    public const string WriterInvalidPlan = "tensors.writer.invalid_plan";

    /// <summary>The writer was given bytes that do not fit the plan (unknown tensor, wrong length, written twice).</summary>
    public const string WriterInvalidWrite = "tensors.writer.invalid_write";

    /// <summary>Commit found tensors that were never (fully) written.</summary>
    public const string WriterIncomplete = "tensors.writer.incomplete";

    /// <summary>The destination folder exists and is not empty, and overwriting was not asked for.</summary>
    public const string WriterDestinationExists = "tensors.writer.destination_exists";
}
