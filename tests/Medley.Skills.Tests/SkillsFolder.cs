namespace Medley.Skills.Tests;

/// <summary>The committed skills suite, found from the repository root.</summary>
internal static class SkillsFolder
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Host.sln")))
            {
                return System.IO.Path.Combine(folder.FullName, "tests", "fixtures", "skills");
            }
        }

        throw new InvalidOperationException($"No Host.sln above {AppContext.BaseDirectory}: the tests must run inside the repository.");
    }
}
