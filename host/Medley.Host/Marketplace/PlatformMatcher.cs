using System.Runtime.InteropServices;

namespace Medley.Host.Marketplace;

/// <summary>Whether a manifest's <c>platforms</c> accept this machine: its RID, the portable RID, the OS alone, or <c>any</c>.</summary>
internal static class PlatformMatcher
{
    public static bool Supports(IReadOnlyList<string> platforms)
    {
        if (platforms.Count == 0)
        {
            return true;
        }

        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : OperatingSystem.IsLinux() ? "linux" : "unknown";
        var portable = $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
        return platforms.Any(p => p == RuntimeInformation.RuntimeIdentifier || p == portable || p == os || p == "any");
    }
}
