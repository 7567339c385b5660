using Medley.Host.Onnx.Export;

namespace Medley.Responses.Tests;

/// <summary>
/// The bundled skills checkpoints <c>ft-add</c> and <c>base</c> (character-level, no chat template) exported to ONNX
/// once for the test class.
/// </summary>
public sealed class SkillsModels : IDisposable
{
    private readonly TempFolder _temp = new();

    public SkillsModels()
    {
        Skills = FindSkills();
        Add = Export("ft-add");
        Base = Export("base");
    }

    public string Skills { get; }

    public string Add { get; }

    public string Base { get; }

    public string Folder => _temp.Path;

    public string AddTasks => Path.Combine(Skills, "tasks", "add.jsonl");

    public void Dispose() => _temp.Dispose();

    private string Export(string name)
    {
        var output = _temp.Combine("onnx", name);
        OnnxExporter.Export(Path.Combine(Skills, "models", name), output);
        return output;
    }

    private static string FindSkills()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Host.sln")))
            {
                return Path.Combine(folder.FullName, "tests", "fixtures", "skills");
            }
        }

        throw new InvalidOperationException($"No Host.sln above {AppContext.BaseDirectory}: the tests must run inside the repository.");
    }
}
