namespace Medley.Host.Merging.Configuration;

/// <summary>How many transformer layers a model has, and the config.json key that says so.</summary>
/// <param name="Count">The layer count.</param>
/// <param name="Key"><c>num_hidden_layers</c> (Llama family) or <c>n_layer</c> (GPT-2).</param>
internal sealed record ModelLayerCount(int Count, string Key);
