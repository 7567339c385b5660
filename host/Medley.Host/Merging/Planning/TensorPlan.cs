namespace Medley.Host.Merging.Planning;

/// <summary>The ordered output tensors of a merge and the output model's layer count.</summary>
/// <param name="Tensors">Embeddings first, then layer by layer, then final norm and head.</param>
/// <param name="OutputLayerCount">The number of layers of the output model (write it to config.json).</param>
/// <param name="LayerCountKey">The config.json key that holds it: <c>num_hidden_layers</c> or <c>n_layer</c>.</param>
internal sealed record TensorPlan(IReadOnlyList<PlannedTensor> Tensors, int OutputLayerCount, string LayerCountKey);
