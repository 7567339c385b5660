using Onnx;

namespace Medley.Runtime.Tests;

/// <summary>
/// Rewrites an exported model so that its cache inputs, cache outputs and logits are float16 (as Optimum's fp16
/// exports are), with Casts at the boundary: the runtime must then keep a float16 cache and convert logits.
/// </summary>
public static class HalfPrecisionInterface
{
    public static void Apply(string modelPath)
    {
        var model = ModelProto.Parser.ParseFromFile(modelPath);
        var graph = model.Graph;
        var half = (int)TensorProto.Types.DataType.Float16;
        var casts = new List<NodeProto>();
        foreach (var input in graph.Input.Where(i => i.Name.StartsWith("past_key_values.", StringComparison.Ordinal)))
        {
            var inner = input.Name + "_f32";
            foreach (var node in graph.Node)
            {
                for (var i = 0; i < node.Input.Count; i++)
                {
                    if (node.Input[i] == input.Name)
                    {
                        node.Input[i] = inner;
                    }
                }
            }

            casts.Add(Cast(input.Name, inner, TensorProto.Types.DataType.Float));
            input.Type.TensorType.ElemType = half;
        }

        foreach (var output in graph.Output)
        {
            var inner = output.Name + "_f32";
            foreach (var node in graph.Node)
            {
                for (var i = 0; i < node.Input.Count; i++)
                {
                    if (node.Input[i] == output.Name)
                    {
                        node.Input[i] = inner;
                    }
                }

                for (var i = 0; i < node.Output.Count; i++)
                {
                    if (node.Output[i] == output.Name)
                    {
                        node.Output[i] = inner;
                    }
                }
            }

            casts.Add(Cast(inner, output.Name, TensorProto.Types.DataType.Float16));
            output.Type.TensorType.ElemType = half;
        }

        graph.Node.AddRange(casts);
        model.WriteToFile(modelPath);
    }

    private static NodeProto Cast(string from, string to, TensorProto.Types.DataType type)
    {
        var node = new NodeProto { OpType = "Cast", Name = "cast_" + to };
        node.Input.Add(from);
        node.Output.Add(to);
        node.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)type });
        return node;
    }
}
