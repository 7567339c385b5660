using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Medley.Tools.GpuCheck;

/// <summary>A one-node ONNX model, sum = a + b over float[3], built from ONNX's protobuf classes (as the GPU tests do).</summary>
internal static class AddModel
{
    public static float[] Run(SessionOptions options, float[] a, float[] b)
    {
        using var session = new InferenceSession(Build(), options);
        long[] shape = [3];
        using var left = OrtValue.CreateTensorValueFromMemory(a, shape);
        using var right = OrtValue.CreateTensorValueFromMemory(b, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["a", "b"], [left, right], ["sum"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static byte[] Build()
    {
        var graph = new GraphProto { Name = "add" };
        graph.Node.Add(new NodeProto { OpType = "Add", Name = "add0", Input = { "a", "b" }, Output = { "sum" } });
        graph.Input.Add(FloatVector("a"));
        graph.Input.Add(FloatVector("b"));
        graph.Output.Add(FloatVector("sum"));
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "Medley.Tools.GpuCheck",
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
