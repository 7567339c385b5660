using Google.Protobuf;
using Onnx;

namespace Medley.Host.Onnx.Export;

/// <summary>
/// Builds an ONNX graph from protobuf objects (OnnxSharp has no builder): numbered nodes, small constants
/// as initializers, graph inputs and outputs with symbolic dimensions. Weights go through an
/// <see cref="InitializerStore"/>.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
    private int _counter;

    public OnnxGraphBuilder(string name) => Graph = new GraphProto { Name = name };

    public GraphProto Graph { get; }

    public static TensorProto.Types.DataType FloatType => TensorProto.Types.DataType.Float;

    /// <summary>Adds a node with one output (named <paramref name="output"/>, or numbered) and returns that output's name.</summary>
    public string Add(string op, IEnumerable<string> inputs, string? output = null, params AttributeProto[] attributes)
    {
        var id = _counter++;
        var node = new NodeProto { OpType = op, Name = $"{op}_{id}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output ?? $"{op}_{id}_out");
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return node.Output[0];
    }

    /// <summary>A 1-D int64 constant (shapes, axes), shared between uses of the same values.</summary>
    public string Int64s(params long[] values)
    {
        var key = "i64:" + string.Join(',', values);
        if (_constants.TryGetValue(key, out var name))
        {
            return name;
        }

        name = $"const_{_constants.Count}";
        AddInlineTensor(name, TensorProto.Types.DataType.Int64, [values.Length], System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        _constants[key] = name;
        return name;
    }

    /// <summary>A scalar int64 constant.</summary>
    public string Int64Scalar(long value)
    {
        var key = "i64s:" + value;
        if (_constants.TryGetValue(key, out var name))
        {
            return name;
        }

        name = $"const_{_constants.Count}";
        AddInlineTensor(name, TensorProto.Types.DataType.Int64, [], BitConverter.GetBytes(value));
        _constants[key] = name;
        return name;
    }

    /// <summary>A scalar float32 constant.</summary>
    public string FloatScalar(float value)
    {
        var key = "f32s:" + BitConverter.SingleToInt32Bits(value).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (_constants.TryGetValue(key, out var name))
        {
            return name;
        }

        name = $"const_{_constants.Count}";
        AddInlineTensor(name, FloatType, [], BitConverter.GetBytes(value));
        _constants[key] = name;
        return name;
    }

    /// <summary>Multiplies by a scalar constant.</summary>
    public string Mul(string input, float value) => Add("Mul", [input, FloatScalar(value)]);

    /// <summary>A float32 constant of any shape.</summary>
    public string Floats(string name, long[] dims, float[] values)
    {
        AddInlineTensor(name, FloatType, dims, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        return name;
    }

    public void AddInput(string name, TensorProto.Types.DataType type, params object[] dims) => Graph.Input.Add(ValueInfo(name, type, dims));

    public void AddOutput(string name, TensorProto.Types.DataType type, params object[] dims) => Graph.Output.Add(ValueInfo(name, type, dims));

    public static AttributeProto Attribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Attribute(string name, long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private void AddInlineTensor(string name, TensorProto.Types.DataType type, long[] dims, byte[] bytes)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        Graph.Initializer.Add(tensor);
    }

    // Dimensions are ints (fixed) or strings (symbolic, e.g. "batch_size").
    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                int value => new TensorShapeProto.Types.Dimension { DimValue = value },
                long value => new TensorShapeProto.Types.Dimension { DimValue = value },
                _ => throw new ArgumentException($"Dimension {dim} is neither a symbol nor a number.", nameof(dims)),
            });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
