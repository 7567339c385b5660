using Medley.Host.Evaluation;
using Medley.Sdk;

namespace Medley.Host.Demo;

/// <summary>
/// The bundled skills suite as <c>tests/tools/forge</c> writes it: <c>models/&lt;name&gt;/</c> Hugging Face
/// checkpoints (<c>base</c>, <c>ft-&lt;task&gt;</c>, <c>large</c>, <c>small</c>, <c>amateur</c>…) and
/// <c>tasks/&lt;task&gt;.jsonl</c> held-out items.
/// </summary>
internal sealed class SkillsFixture
{
    private SkillsFixture(string folder, IReadOnlyList<string> tasks, IReadOnlyDictionary<string, string> models)
    {
        Folder = folder;
        Tasks = tasks;
        Models = models;
    }

    public string Folder { get; }

    /// <summary>Task names, in file-name order.</summary>
    public IReadOnlyList<string> Tasks { get; }

    /// <summary>Checkpoint folders by model name.</summary>
    public IReadOnlyDictionary<string, string> Models { get; }

    public string TaskFile(string task) => Path.Combine(Folder, "tasks", task + ".jsonl");

    public static string FineTuneName(string task) => "ft-" + task;

    public static SkillsFixture Open(string folder)
    {
        var models = Path.Combine(folder, "models");
        var tasks = Path.Combine(folder, "tasks");
        if (!Directory.Exists(models) || !Directory.Exists(tasks))
        {
            throw new MedleyException(
                DemoErrorCodes.SkillsMissing,
                $"'{folder}' is not a skills suite: expected the folders models/ and tasks/ inside it (as tests/tools/forge writes them under tests/fixtures/skills).");
        }

        var taskNames = Directory.GetFiles(tasks, "*.jsonl").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var modelFolders = Directory.GetDirectories(models)
            .Where(d => File.Exists(Path.Combine(d, "config.json")))
            .ToDictionary(d => Path.GetFileName(d), d => d, StringComparer.Ordinal);
        var fixture = new SkillsFixture(Path.GetFullPath(folder), taskNames, modelFolders);
        var missing = new[] { "base" }.Concat(taskNames.Select(FineTuneName)).Where(name => !modelFolders.ContainsKey(name)).ToList();
        if (taskNames.Count == 0 || missing.Count > 0)
        {
            throw new MedleyException(
                DemoErrorCodes.SkillsMissing,
                taskNames.Count == 0
                    ? $"'{tasks}' holds no task files (*.jsonl)."
                    : $"The skills suite in '{folder}' lacks the checkpoint(s) {string.Join(", ", missing)} under models/ (each needs a config.json).");
        }

        return fixture;
    }

    /// <summary>Every task's items, task by task, the first <paramref name="limit"/> of each when given.</summary>
    public IReadOnlyList<EvaluationItem> Items(int? limit) =>
        Tasks.SelectMany(task => TaskFileReader.FirstPerTask(TaskFileReader.Read(TaskFile(task)), limit)).ToList();
}
