using Medley.Host.Tensors;
using Medley.Sdk;

namespace Medley.Host.Onnx.Export;

/// <summary>
/// The weights an architecture needs, checked all at once against the checkpoint (so that one error lists every
/// missing tensor) and read as float32 with their shapes verified.
/// </summary>
internal sealed class CheckpointWeights
{
    private readonly SafetensorsCheckpoint _checkpoint;
    private readonly string _prefix;

    private CheckpointWeights(SafetensorsCheckpoint checkpoint, string prefix, IReadOnlyList<string> requiredNames)
    {
        _checkpoint = checkpoint;
        _prefix = prefix;
        RequiredNames = requiredNames;
    }

    /// <summary>The full names of every tensor the architecture reads.</summary>
    public IReadOnlyList<string> RequiredNames { get; }

    /// <summary>
    /// Checks that every needed tensor exists. <paramref name="prefixes"/> are tried in order (GPT-2 checkpoints
    /// come with and without <c>transformer.</c>); the first under which the embedding exists wins.
    /// </summary>
    public static CheckpointWeights Require(SafetensorsCheckpoint checkpoint, string modelType, IReadOnlyList<string> prefixes, string probe, IEnumerable<string> needed, IEnumerable<string> unprefixed)
    {
        var prefix = prefixes.FirstOrDefault(p => checkpoint.Contains(p + probe)) ?? prefixes[0];
        var required = needed.Select(n => prefix + n).Concat(unprefixed).ToList();
        var missing = required.Where(n => !checkpoint.Contains(n)).ToList();
        if (missing.Count > 0)
        {
            throw new MedleyException(
                OnnxExportErrorCodes.MissingTensors,
                $"Checkpoint '{checkpoint.Folder}' ({modelType}) lacks {missing.Count} tensor(s) the architecture needs: {string.Join(", ", missing.Take(20))}"
                + (missing.Count > 20 ? $" and {missing.Count - 20} more." : "."),
                details: missing);
        }

        return new CheckpointWeights(checkpoint, prefix, required);
    }

    /// <summary>Reads a tensor under the checkpoint's prefix.</summary>
    public float[] Read(string name, params long[] expectedShape) => ReadExact(_prefix + name, expectedShape);

    /// <summary>Reads a tensor by its full name; -1 in <paramref name="expectedShape"/> accepts any length.</summary>
    public float[] ReadExact(string fullName, params long[] expectedShape)
    {
        var info = _checkpoint.GetInfo(fullName);
        if (info.Shape.Count != expectedShape.Length || info.Shape.Where((d, i) => expectedShape[i] >= 0 && d != expectedShape[i]).Any())
        {
            throw new MedleyException(
                OnnxExportErrorCodes.TensorShapeMismatch,
                $"Checkpoint '{_checkpoint.Folder}': tensor '{fullName}' has shape {info.ShapeText}; config.json implies {TensorShapes.Format(expectedShape)}.");
        }

        var values = new float[info.ElementCount];
        _checkpoint.ReadAsSingle(fullName, values);
        return values;
    }

    /// <summary>Reads an <c>nn.Linear</c> weight <c>[out, in]</c> and returns it transposed to <c>[in, out]</c> for MatMul.</summary>
    public float[] ReadLinearTransposed(string name, int outFeatures, int inFeatures) =>
        Transpose(Read(name, outFeatures, inFeatures), outFeatures, inFeatures);

    public static float[] Transpose(float[] values, int rows, int columns)
    {
        var result = new float[values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                result[(long)c * rows + r] = values[(long)r * columns + c];
            }
        }

        return result;
    }
}
