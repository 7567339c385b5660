namespace Medley.Host.Marketplace;

/// <summary>Compares an installed plugin folder with what its lock entry pins.</summary>
internal static class PluginLockVerifier
{
    /// <summary>Every difference, one line each: missing folder, missing, changed and extra files.</summary>
    public static IReadOnlyList<string> Check(string pluginDirectory, PluginLockEntry entry)
    {
        var folder = Path.Combine(pluginDirectory, entry.Folder);
        if (!Directory.Exists(folder))
        {
            return [$"plugin '{entry.Id}': folder '{folder}' is missing"];
        }

        var problems = new List<string>();
        var actual = FileDigests.Compute(folder);
        foreach (var (relative, expected) in entry.Files)
        {
            if (!actual.TryGetValue(relative, out var digest))
            {
                problems.Add($"plugin '{entry.Id}': file '{relative}' is missing");
            }
            else if (!string.Equals(digest, expected, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"plugin '{entry.Id}': file '{relative}' has SHA-256 {digest} but the lock pins {expected}");
            }
        }

        foreach (var relative in actual.Keys.Where(r => !entry.Files.ContainsKey(r)))
        {
            problems.Add($"plugin '{entry.Id}': file '{relative}' was not installed by medley plugin install");
        }

        return problems;
    }
}
