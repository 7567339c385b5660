namespace Medley.Host.Marketplace;

/// <summary>A plugin install put in place (or found up to date).</summary>
/// <param name="Id">Plugin id.</param>
/// <param name="Version">Installed version.</param>
/// <param name="PreviousVersion">The version it replaced, if any.</param>
/// <param name="Source">The feed it came from.</param>
/// <param name="PackageSha512">SHA-512 of the package, lower-case hex.</param>
/// <param name="Folder">The plugin's folder.</param>
/// <param name="Status">installed, updated, up-to-date.</param>
internal sealed record InstalledPlugin(string Id, string Version, string? PreviousVersion, string Source, string PackageSha512, string Folder, string Status);
