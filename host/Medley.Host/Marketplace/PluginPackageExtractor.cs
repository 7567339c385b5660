using System.IO.Compression;
using System.Text.RegularExpressions;
using Medley.Sdk;

namespace Medley.Host.Marketplace;

/// <summary>
/// Checks every entry of a plugin package before anything is written, then extracts <c>plugin/</c>. A package
/// is refused as a whole when any entry is a link, has an absolute path, a drive letter, a backslash or a
/// <c>..</c> segment, or lies outside <c>plugin/</c> and NuGet's own metadata.
/// </summary>
internal static partial class PluginPackageExtractor
{
    public const string PluginFolder = "plugin/";

    // Unix file type bits in the high half of a zip entry's external attributes; 0xA000 is a symbolic link.
    private const int UnixFileTypeMask = 0xF000;
    private const int UnixSymbolicLink = 0xA000;

    public static void Extract(string packagePath, string destination, string packageName, CancellationToken cancellationToken)
    {
        using var archive = ZipFile.OpenRead(packagePath);
        var problems = archive.Entries.Select(e => Problem(e)).OfType<string>().ToList();
        if (problems.Count > 0)
        {
            throw new MedleyException(
                MarketplaceErrorCodes.UnsafeEntry,
                $"Package {packageName} was refused: {string.Join("; ", problems)}. A plugin package may only hold plain files under '{PluginFolder}'.",
                details: problems);
        }

        Directory.CreateDirectory(destination);
        var root = Path.GetFullPath(destination) + Path.DirectorySeparatorChar;
        foreach (var entry in archive.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Uri.UnescapeDataString(entry.FullName);
            if (!name.StartsWith(PluginFolder, StringComparison.Ordinal) || name.EndsWith('/'))
            {
                continue;
            }

            var target = Path.GetFullPath(Path.Combine(root, name[PluginFolder.Length..]));
            if (!target.StartsWith(root, StringComparison.Ordinal))
            {
                // Unreachable after the checks above; kept so that extraction never trusts them alone.
                throw new MedleyException(MarketplaceErrorCodes.UnsafeEntry, $"Package {packageName} was refused: entry '{entry.FullName}' resolves outside the plugin folder.");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            entry.ExtractToFile(target, overwrite: false);
        }
    }

    private static string? Problem(ZipArchiveEntry entry)
    {
        var raw = entry.FullName;
        var name = Uri.UnescapeDataString(raw);
        if (((entry.ExternalAttributes >> 16) & UnixFileTypeMask) == UnixSymbolicLink)
        {
            return $"entry '{raw}' is a symbolic link";
        }

        if (name.Contains('\\', StringComparison.Ordinal))
        {
            return $"entry '{raw}' contains a backslash";
        }

        if (name.StartsWith('/'))
        {
            return $"entry '{raw}' has an absolute path";
        }

        if (DriveLetter().IsMatch(name))
        {
            return $"entry '{raw}' has a drive letter";
        }

        if (name.Split('/').Any(segment => segment == ".."))
        {
            return $"entry '{raw}' climbs out of its folder with '..' (zip-slip)";
        }

        return name.StartsWith(PluginFolder, StringComparison.Ordinal) || IsNuGetMetadata(name)
            ? null
            : $"entry '{raw}' lies outside '{PluginFolder}'";
    }

    private static bool IsNuGetMetadata(string name) =>
        name is "[Content_Types].xml" or ".signature.p7s"
        || name.StartsWith("_rels/", StringComparison.Ordinal)
        || name.StartsWith("package/", StringComparison.Ordinal)
        || (!name.Contains('/', StringComparison.Ordinal) && name.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("^[A-Za-z]:", RegexOptions.CultureInvariant)]
    private static partial Regex DriveLetter();
}
