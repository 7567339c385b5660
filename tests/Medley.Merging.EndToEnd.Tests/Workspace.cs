namespace Medley.Merging.EndToEnd.Tests;

/// <summary>A temporary folder for one test's models, configs and outputs.</summary>
public sealed class Workspace : IDisposable
{
    public Workspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "medley-merge-e2e", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(string name) => Path.Combine(Root, name);

    public string WriteConfig(string yaml, string name = "merge.yml")
    {
        var path = PathOf(name);
        File.WriteAllText(path, yaml);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
