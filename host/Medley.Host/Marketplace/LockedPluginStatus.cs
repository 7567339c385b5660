namespace Medley.Host.Marketplace;

/// <summary>An entry of the lock and whether its folder still matches it.</summary>
/// <param name="Id">Plugin id.</param>
/// <param name="Version">Pinned version.</param>
/// <param name="Source">The feed it came from.</param>
/// <param name="Status">ok, modified or missing.</param>
/// <param name="Problems">Every difference found.</param>
internal sealed record LockedPluginStatus(string Id, string Version, string Source, string Status, IReadOnlyList<string> Problems);
