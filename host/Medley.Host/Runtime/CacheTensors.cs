using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Medley.Host.Runtime;

/// <summary>Creating, copying and truncating KV-cache tensors <c>[batch, kv_heads, length, head_dim]</c> held in CPU memory.</summary>
internal static class CacheTensors
{
    public static OrtValue Empty(TensorElementType type, int keyValueHeads, int headSize) =>
        OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, type, [1, keyValueHeads, 0, headSize]);

    /// <summary>A new tensor holding the first <paramref name="length"/> positions (all of them for a copy).</summary>
    public static OrtValue Truncate(OrtValue source, int length)
    {
        var info = source.GetTensorTypeAndShape();
        var shape = info.Shape;
        var elementSize = ElementSize(info.ElementDataType);
        var outer = checked((int)(shape[0] * shape[1]));
        var sourceLength = shape[2];
        var rowBytes = checked((int)(shape[3] * elementSize));
        var result = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, info.ElementDataType, [shape[0], shape[1], length, shape[3]]);
        var from = source.GetTensorDataAsSpan<byte>();
        var to = result.GetTensorMutableDataAsSpan<byte>();
        var blockBytes = length * rowBytes;
        for (var block = 0; block < outer; block++)
        {
            from.Slice(checked((int)(block * sourceLength * rowBytes)), blockBytes).CopyTo(to.Slice(block * blockBytes, blockBytes));
        }

        return result;
    }

    public static int Length(OrtValue value) => (int)value.GetTensorTypeAndShape().Shape[2];

    public static int ElementSize(TensorElementType type) => type switch
    {
        TensorElementType.Float => 4,
        TensorElementType.Float16 or TensorElementType.BFloat16 => 2,
        TensorElementType.Double => 8,
        _ => throw new NotSupportedException($"KV-cache element type {type} is not supported; expected float, float16 or bfloat16."),
    };

    /// <summary>Copies rows <c>[firstRow, firstRow + rows)</c> of a <c>[1, positions, vocab]</c> logits tensor as float32.</summary>
    public static float[] CopyLogitsRows(OrtValue logits, int firstRow, int rows, int vocabularySize)
    {
        var type = logits.GetTensorTypeAndShape().ElementDataType;
        var result = new float[rows * vocabularySize];
        var start = firstRow * vocabularySize;
        switch (type)
        {
            case TensorElementType.Float:
                logits.GetTensorDataAsSpan<float>().Slice(start, result.Length).CopyTo(result);
                break;
            case TensorElementType.Float16:
                var halves = MemoryMarshal.Cast<Float16, ushort>(logits.GetTensorDataAsSpan<Float16>()).Slice(start, result.Length);
                for (var i = 0; i < halves.Length; i++)
                {
                    result[i] = (float)BitConverter.UInt16BitsToHalf(halves[i]);
                }

                break;
            case TensorElementType.BFloat16:
                var brains = MemoryMarshal.Cast<BFloat16, ushort>(logits.GetTensorDataAsSpan<BFloat16>()).Slice(start, result.Length);
                for (var i = 0; i < brains.Length; i++)
                {
                    result[i] = BitConverter.Int32BitsToSingle(brains[i] << 16);
                }

                break;
            default:
                throw new NotSupportedException($"Logits of element type {type} are not supported; expected float, float16 or bfloat16.");
        }

        return result;
    }
}
