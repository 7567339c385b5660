using System.Reflection;

namespace Medley.Conformance.Tests;

/// <summary>The repository's plugin projects and where their build output lies.</summary>
public static class RepositoryPlugins
{
    private static readonly string Configuration = typeof(RepositoryPlugins).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "Configuration").Value!;

    /// <summary>Every plugins/**/*.csproj, relative to the repository root with '/' separators, sorted.</summary>
    public static IReadOnlyList<string> Projects() =>
        Directory.EnumerateFiles(Path.Combine(Repository.Root(), "plugins"), "*.csproj", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Repository.Root(), p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The build output folder of a plugin project, where the build stamps its manifest.</summary>
    public static string OutputFolder(string project) =>
        Path.Combine(Repository.Root(), Path.GetDirectoryName(project)!, "bin", Configuration, "net10.0");
}
