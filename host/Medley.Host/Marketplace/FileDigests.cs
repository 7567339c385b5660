using System.Security.Cryptography;

namespace Medley.Host.Marketplace;

/// <summary>SHA-256 digests of every file under a folder, keyed by forward-slash relative path.</summary>
internal static class FileDigests
{
    public static SortedDictionary<string, string> Compute(string folder)
    {
        var digests = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            digests[Relative(folder, path)] = Sha256(path);
        }

        return digests;
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static string Relative(string folder, string path) => Path.GetRelativePath(folder, path).Replace('\\', '/');
}
