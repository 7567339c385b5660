namespace Medley.Host.Merging.Planning;

/// <summary>One model's tensor names and shapes, split into layer tensors (by layer index) and the rest.</summary>
internal sealed class ModelTensorIndex
{
    private readonly Dictionary<int, List<string>> _layerSuffixes = [];

    /// <summary>Indexes a model's tensors.</summary>
    /// <param name="tensors">Tensor name to shape.</param>
    public ModelTensorIndex(IReadOnlyDictionary<string, long[]> tensors)
    {
        Shapes = tensors;
        var other = new List<string>();
        foreach (var name in tensors.Keys)
        {
            if (LayerTensorName.TryParse(name, out var layerName))
            {
                LayerPrefix ??= layerName.Prefix;
                if (!_layerSuffixes.TryGetValue(layerName.Layer, out var suffixes))
                {
                    _layerSuffixes[layerName.Layer] = suffixes = [];
                }

                suffixes.Add(layerName.Suffix);
            }
            else
            {
                other.Add(name);
            }
        }

        NonLayerTensors = other.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Tensor name to shape.</summary>
    public IReadOnlyDictionary<string, long[]> Shapes { get; }

    /// <summary>The model's layer prefix (e.g. <c>model.layers.</c>), or <see langword="null"/> when it has no layer tensors.</summary>
    public string? LayerPrefix { get; }

    /// <summary>Tensors outside the layers, sorted by name.</summary>
    public IReadOnlyList<string> NonLayerTensors { get; }

    /// <summary>The names within one layer (after the prefix and index), sorted.</summary>
    /// <param name="layer">The layer index.</param>
    /// <returns>The suffixes; empty when the layer has none.</returns>
    public IReadOnlyList<string> LayerSuffixes(int layer) =>
        _layerSuffixes.TryGetValue(layer, out var suffixes) ? suffixes.Order(StringComparer.Ordinal).ToList() : [];
}
