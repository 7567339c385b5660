using Google.Protobuf;
using Onnx;

namespace Medley.Runtime.Tests;

/// <summary>
/// Builds a legacy Optimum <c>decoder_model_merged.onnx</c> from an exported <c>model.onnx</c>: one If node on
/// <c>use_cache_branch</c> whose two branches are copies of the decoder graph sharing the outer initializers.
/// The no-cache branch adds <see cref="NoCacheLogitsOffset"/> to its logits so that tests can tell which branch ran.
/// </summary>
public static class MergedDecoderBuilder
{
    public const float NoCacheLogitsOffset = 1000f;

    public static void Build(string modelPath, string mergedPath)
    {
        var model = ModelProto.Parser.ParseFromFile(modelPath);
        var graph = model.Graph;
        var outer = graph.Input.Select(i => i.Name).Concat(graph.Initializer.Select(i => i.Name)).ToHashSet(StringComparer.Ordinal);
        var withPast = Branch(graph, outer, "with_past/", logitsOffset: null);
        var withoutPast = Branch(graph, outer, "no_past/", NoCacheLogitsOffset);

        var merged = new GraphProto { Name = "merged" };
        merged.Input.AddRange(graph.Input);
        merged.Input.Add(new ValueInfoProto
        {
            Name = "use_cache_branch",
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor
                {
                    ElemType = (int)TensorProto.Types.DataType.Bool,
                    Shape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dimension { DimValue = 1 } } },
                },
            },
        });
        merged.Initializer.AddRange(graph.Initializer);
        merged.Output.AddRange(graph.Output);
        var node = new NodeProto { OpType = "If", Name = "optimum::if" };
        node.Input.Add("use_cache_branch");
        node.Output.AddRange(graph.Output.Select(o => o.Name));
        node.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = withPast });
        node.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = withoutPast });
        merged.Node.Add(node);

        var result = new ModelProto { IrVersion = model.IrVersion, Graph = merged };
        result.OpsetImport.AddRange(model.OpsetImport);
        result.WriteToFile(mergedPath);
    }

    private static GraphProto Branch(GraphProto graph, HashSet<string> outer, string prefix, float? logitsOffset)
    {
        string Rename(string name) => outer.Contains(name) || name.Length == 0 ? name : prefix + name;
        var branch = new GraphProto { Name = prefix.TrimEnd('/') };
        foreach (var original in graph.Node)
        {
            var node = original.Clone();
            node.Name = prefix + node.Name;
            for (var i = 0; i < node.Input.Count; i++)
            {
                node.Input[i] = Rename(node.Input[i]);
            }

            for (var i = 0; i < node.Output.Count; i++)
            {
                node.Output[i] = Rename(node.Output[i]);
            }

            branch.Node.Add(node);
        }

        foreach (var output in graph.Output)
        {
            var renamed = output.Clone();
            renamed.Name = Rename(output.Name);
            if (logitsOffset is { } offset && output.Name == "logits")
            {
                renamed.Name = prefix + "offset_logits";
                var constant = new TensorProto { Name = prefix + "offset", DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(BitConverter.GetBytes(offset)) };
                branch.Initializer.Add(constant);
                var add = new NodeProto { OpType = "Add", Name = prefix + "offset_add" };
                add.Input.Add(Rename(output.Name));
                add.Input.Add(constant.Name);
                add.Output.Add(renamed.Name);
                branch.Node.Add(add);
            }

            branch.Output.Add(renamed);
        }

        return branch;
    }
}
