namespace Medley.Host.Merging.Configuration;

/// <summary>A model named by a merge config: the name as written (its identity in the config) and the local folder it denotes.</summary>
/// <param name="Name">The reference exactly as the config writes it; inputs are matched by this name.</param>
/// <param name="Folder">The absolute path of the model folder.</param>
internal sealed record ModelReference(string Name, string Folder);
