using System.Buffers.Binary;
using System.Text;

namespace Medley.Tensors.Tests;

/// <summary>Writes safetensors files byte by byte from a header string, independent of the production writer, so tests can build broken files.</summary>
public static class RawSafetensors
{
    public static void Write(string path, string headerJson, byte[] data, ulong? headerLengthOverride = null)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLengthOverride ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>A valid file with tensors "a" (F32 [2], values 1, 2) and "b" (I32 [1], value 7).</summary>
    public static void WriteValid(string path)
    {
        var data = new byte[12];
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(0), 1f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4), 2f);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(8), 7);
        Write(path, """{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I32","shape":[1],"data_offsets":[8,12]}}""", data);
    }
}
