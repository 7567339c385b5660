namespace Medley.Host.Tensors;

/// <summary>One tensor's header entry, validated, with its location in its file.</summary>
public sealed class TensorInfo
{
    /// <summary>Creates a tensor description; the reader does this after validation.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="dtype">The element type.</param>
    /// <param name="shape">The shape (row-major).</param>
    /// <param name="filePath">The file that holds the tensor.</param>
    /// <param name="dataBegin">Start of the bytes, relative to the data section.</param>
    /// <param name="dataEnd">End (exclusive) of the bytes, relative to the data section.</param>
    public TensorInfo(string name, SafetensorsDtype dtype, IReadOnlyList<long> shape, string filePath, long dataBegin, long dataEnd)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(filePath);
        Name = name;
        Dtype = dtype;
        Shape = shape;
        FilePath = filePath;
        DataBegin = dataBegin;
        DataEnd = dataEnd;
        ElementCount = TensorShapes.ElementCount(shape);
    }

    /// <summary>The tensor's name.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public SafetensorsDtype Dtype { get; }

    /// <summary>The shape (row-major); empty for a scalar.</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>The file that holds the tensor.</summary>
    public string FilePath { get; }

    /// <summary>Start of the bytes, relative to the data section.</summary>
    public long DataBegin { get; }

    /// <summary>End (exclusive) of the bytes, relative to the data section.</summary>
    public long DataEnd { get; }

    /// <summary>The number of elements (1 for a scalar).</summary>
    public long ElementCount { get; }

    /// <summary>The number of bytes.</summary>
    public long ByteLength => DataEnd - DataBegin;

    /// <summary>The shape as <c>[a, b]</c>, for messages.</summary>
    public string ShapeText => TensorShapes.Format(Shape);
}
