namespace Medley.Host.Tensors;

/// <summary>One tensor the writer will receive: its name, dtype and shape, known before its bytes.</summary>
/// <param name="Name">The tensor name.</param>
/// <param name="Dtype">The element type written to the file.</param>
/// <param name="Shape">The shape (row-major).</param>
public sealed record TensorPlanEntry(string Name, SafetensorsDtype Dtype, IReadOnlyList<long> Shape);
