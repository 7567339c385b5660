using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace Medley.Host.Onnx.Export;

/// <summary>
/// Adds weights to a graph as initializers, in float32 or float16 (then followed by a Cast to float32), either
/// inside the model file or appended to an external data file at 4096-byte aligned offsets.
/// </summary>
internal sealed class InitializerStore : IDisposable
{
    public const int ExternalDataAlignment = 4096;

    private readonly OnnxGraphBuilder _graph;
    private readonly OnnxExportDtype _dtype;
    private readonly FileStream? _external;
    private readonly string? _externalFileName;

    public InitializerStore(OnnxGraphBuilder graph, OnnxExportDtype dtype, string? externalDataPath)
    {
        _graph = graph;
        _dtype = dtype;
        if (externalDataPath is not null)
        {
            _external = new FileStream(externalDataPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
            _externalFileName = Path.GetFileName(externalDataPath);
        }
    }

    public long ParameterCount { get; private set; }

    public static int ElementSize(OnnxExportDtype dtype) => dtype == OnnxExportDtype.Float16 ? 2 : 4;

    /// <summary>Adds a weight and returns the name of its float32 value in the graph.</summary>
    public string Add(string name, long[] dims, float[] values)
    {
        ParameterCount += values.Length;
        var half = _dtype == OnnxExportDtype.Float16;
        var tensor = new TensorProto { Name = name, DataType = (int)(half ? TensorProto.Types.DataType.Float16 : TensorProto.Types.DataType.Float) };
        tensor.Dims.AddRange(dims);
        if (_external is null)
        {
            // The array is fresh and never written again, so protobuf may wrap it rather than copy it.
            tensor.RawData = UnsafeByteOperations.UnsafeWrap(half ? ToHalfBytes(values) : MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        }
        else
        {
            WriteExternal(tensor, half ? ToHalfBytes(values) : MemoryMarshal.AsBytes(values.AsSpan()));
        }

        _graph.Graph.Initializer.Add(tensor);
        return half
            ? _graph.Add("Cast", [name], name + "_f32", OnnxGraphBuilder.Attribute("to", (long)TensorProto.Types.DataType.Float))
            : name;
    }

    public void Dispose() => _external?.Dispose();

    private static byte[] ToHalfBytes(float[] values)
    {
        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            halves[i] = (Half)values[i];
        }

        return MemoryMarshal.AsBytes(halves.AsSpan()).ToArray();
    }

    private void WriteExternal(TensorProto tensor, ReadOnlySpan<byte> bytes)
    {
        var offset = (_external!.Position + ExternalDataAlignment - 1) / ExternalDataAlignment * ExternalDataAlignment;
        if (offset > _external.Position)
        {
            _external.Write(new byte[offset - _external.Position]);
        }

        _external.Write(bytes);
        tensor.DataLocation = TensorProto.Types.DataLocation.External;
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = _externalFileName });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(CultureInfo.InvariantCulture) });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = bytes.Length.ToString(CultureInfo.InvariantCulture) });
    }
}
