using System.Globalization;
using System.Text;

namespace Medley.Host.Demo;

/// <summary>A merge of the skills fine-tunes the demo runs through the real merge pipeline, as a mergekit config.</summary>
/// <param name="Name">The method's name, also the row's name.</param>
/// <param name="Description">The parameters, for the table.</param>
/// <param name="Method">mergekit's <c>merge_method</c>.</param>
/// <param name="UsesBase">Whether the method takes <c>base_model</c>.</param>
/// <param name="ModelParameters">Per-model parameters (the same for every fine-tune).</param>
/// <param name="GlobalParameters">Method-wide parameters.</param>
internal sealed record DemoMerge(
    string Name,
    string Description,
    string Method,
    bool UsesBase,
    IReadOnlyDictionary<string, double> ModelParameters,
    IReadOnlyDictionary<string, object> GlobalParameters)
{
    /// <summary>
    /// The four methods the skills issue names. The fine-tunes start from one base with a small learning rate, so
    /// their task vectors are small and mostly disjoint: adding them whole (task arithmetic, λ = 1) keeps each
    /// skill; averaging (linear) divides each by the number of tasks; TIES and DARE-TIES trim and resolve signs first.
    /// </summary>
    public static IReadOnlyList<DemoMerge> All { get; } =
    [
        new("linear", "mean of the fine-tunes", "linear", false, new Dictionary<string, double> { ["weight"] = 1.0 }, new Dictionary<string, object>()),
        new("task_arithmetic", "base + Σ task vectors, λ 1", "task_arithmetic", true, new Dictionary<string, double> { ["weight"] = 1.0 }, new Dictionary<string, object> { ["lambda"] = 1.0 }),
        new("ties", "density 0.5, sign election, λ 1", "ties", true, new Dictionary<string, double> { ["weight"] = 1.0, ["density"] = 0.5 }, new Dictionary<string, object> { ["lambda"] = 1.0 }),
        new("dare_ties", "DARE density 0.5 (seed 1), sign election, λ 1", "dare_ties", true, new Dictionary<string, double> { ["weight"] = 1.0, ["density"] = 0.5 }, new Dictionary<string, object> { ["lambda"] = 1.0 }),
    ];

    /// <summary>The mergekit YAML for this merge of <paramref name="fineTunes"/> onto <paramref name="baseModel"/>.</summary>
    public string ToYaml(string baseModel, IReadOnlyList<string> fineTunes)
    {
        var yaml = new StringBuilder();
        yaml.Append("merge_method: ").AppendLine(Method);
        if (UsesBase)
        {
            yaml.Append("base_model: ").AppendLine(Quote(baseModel));
        }

        yaml.AppendLine("models:");
        foreach (var model in fineTunes)
        {
            yaml.Append("  - model: ").AppendLine(Quote(model));
            yaml.AppendLine("    parameters:");
            foreach (var (name, value) in ModelParameters)
            {
                yaml.Append("      ").Append(name).Append(": ").AppendLine(value.ToString("R", CultureInfo.InvariantCulture));
            }
        }

        if (GlobalParameters.Count > 0)
        {
            yaml.AppendLine("parameters:");
            foreach (var (name, value) in GlobalParameters)
            {
                yaml.Append("  ").Append(name).Append(": ").AppendLine(Convert.ToString(value, CultureInfo.InvariantCulture)!.ToLowerInvariant());
            }
        }

        yaml.AppendLine("dtype: float32");
        return yaml.ToString();
    }

    private static string Quote(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";
}
