using Google.Protobuf;
using Onnx;

namespace Medley.Providers.Tests.Support;

/// <summary>A one-node ONNX model, sum = a + b over float[3], built directly from ONNX's protobuf classes.</summary>
public static class AddModel
{
    public static byte[] Build()
    {
        var graph = new GraphProto { Name = "add" };
        graph.Node.Add(new NodeProto { OpType = "Add", Name = "add0", Input = { "a", "b" }, Output = { "sum" } });
        graph.Input.Add(FloatVector("a"));
        graph.Input.Add(FloatVector("b"));
        graph.Output.Add(FloatVector("sum"));
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "Medley.Providers.Tests",
            Graph = graph,
            OpsetImport = { new OperatorSetIdProto { Domain = string.Empty, Version = 13 } },
        };
        return model.ToByteArray();
    }

    private static ValueInfoProto FloatVector(string name) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = (int)TensorProto.Types.DataType.Float,
                Shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimValue = 3 } } },
            },
        },
    };
}
