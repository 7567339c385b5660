namespace Medley.Host.Merging.Configuration;

/// <summary>One source of an output slice: layers [<paramref name="LayerStart"/>, <paramref name="LayerEnd"/>) of a model.</summary>
/// <param name="Model">The model.</param>
/// <param name="LayerStart">First layer taken (inclusive).</param>
/// <param name="LayerEnd">End of the range (exclusive).</param>
/// <param name="Parameters">Parameters given on this source.</param>
internal sealed record MergeSliceSource(ModelReference Model, int LayerStart, int LayerEnd, IReadOnlyDictionary<string, ParameterSetting> Parameters)
{
    /// <summary>Number of layers the source contributes.</summary>
    public int LayerCount => LayerEnd - LayerStart;
}
