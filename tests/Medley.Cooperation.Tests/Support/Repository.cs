using System.Text.Json;

namespace Medley.Cooperation.Tests.Support;

/// <summary>Files of the repository the tests run in.</summary>
public static class Repository
{
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "plugin-manifest.schema.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with plugin-manifest.schema.json) was not found above " + AppContext.BaseDirectory);
    }

    public static JsonDocument ReadJson(params string[] parts) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine([Root(), .. parts])));
}
