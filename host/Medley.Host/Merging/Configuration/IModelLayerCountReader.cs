namespace Medley.Host.Merging.Configuration;

/// <summary>Reads a model folder's layer count (config validation needs it to check layer ranges).</summary>
internal interface IModelLayerCountReader
{
    /// <summary>Reads the layer count.</summary>
    /// <param name="modelFolder">The model folder.</param>
    /// <returns>The count.</returns>
    /// <exception cref="Medley.Sdk.MedleyException">When the folder's config cannot say.</exception>
    ModelLayerCount Read(string modelFolder);
}
