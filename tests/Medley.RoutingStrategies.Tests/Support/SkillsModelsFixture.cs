using System.Text.Json;
using Medley.Cooperation.Tests.Support;
using Medley.Host.Onnx.Export;
using Medley.Host.Runtime;
using Medley.Host.Tokenization;
using Medley.Runtime.Tests;

namespace Medley.RoutingStrategies.Tests.Support;

/// <summary>The committed skills models the real-model tests use, exported to ONNX once and loaded.</summary>
public sealed class SkillsModelsFixture : IDisposable
{
    private static readonly string[] s_names = ["ft-add", "ft-rev", "small", "large"];
    private readonly TempFolder _temp = new();
    private readonly Dictionary<string, OnnxCausalLanguageModel> _models = [];

    public SkillsModelsFixture()
    {
        var skills = Path.Combine(Repository.Root(), "tests", "fixtures", "skills");
        foreach (var name in s_names)
        {
            var onnx = _temp.Combine(name);
            OnnxExporter.Export(Path.Combine(skills, "models", name), onnx);
            _models[name] = OnnxCausalLanguageModel.Load(new OnnxModelOptions { Path = onnx, TokenizerFactory = HfTokenizerLoader.Load, Name = name });
        }

        Tasks = Directory.GetFiles(Path.Combine(skills, "tasks"), "*.jsonl").ToDictionary(
            f => Path.GetFileNameWithoutExtension(f),
            f => (IReadOnlyList<(string Prompt, string Answer)>)File.ReadLines(f).Select(Item).ToList());
    }

    public IReadOnlyDictionary<string, IReadOnlyList<(string Prompt, string Answer)>> Tasks { get; }

    public GreedySkillsChatClient Client(string name) => new(_models[name]);

    public void Dispose()
    {
        foreach (var model in _models.Values)
        {
            model.Dispose();
        }

        _temp.Dispose();
    }

    private static (string, string) Item(string line)
    {
        using var item = JsonDocument.Parse(line);
        return (item.RootElement.GetProperty("prompt").GetString()!, item.RootElement.GetProperty("answer").GetString()!);
    }
}
