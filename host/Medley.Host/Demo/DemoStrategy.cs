namespace Medley.Host.Demo;

/// <summary>
/// A token-level strategy the demo runs on the bundled models, as a run config over their ONNX exports.
/// Models are named by their skills names (<c>large</c>, <c>ft-add</c>…) and resolved to the exported folders.
/// </summary>
/// <param name="Name">The row's name.</param>
/// <param name="Description">What it combines, for the table.</param>
/// <param name="Strategy">The strategy's name.</param>
/// <param name="Roles">Role → skills model names (several for a multiple role).</param>
/// <param name="Parameters">The strategy's parameters, as YAML flow mapping text.</param>
/// <param name="ComparedWith">The model this row is measured against (speed-up, accuracy change); null for an ensemble, measured against its best member.</param>
/// <param name="FocusTask">The task the comparison is about, when the strategy targets one (proxy-tuning toward one fine-tune); null for the mean over tasks.</param>
internal sealed record DemoStrategy(
    string Name,
    string Description,
    string Strategy,
    IReadOnlyList<(string Role, IReadOnlyList<string> Models)> Roles,
    string Parameters,
    string? ComparedWith,
    string? FocusTask = null)
{
    /// <summary>The rows: cooperation first (each against the model it serves), then ensembles of the fine-tunes.</summary>
    public static IReadOnlyList<DemoStrategy> For(IReadOnlyList<string> fineTunes) =>
    [
        new("speculative", "target large, draft small, γ from 4 (heuristic)", "speculative",
            [("target", ["large"]), ("draft", ["small"])], "{ draft_tokens: 4, schedule: heuristic }", "large"),
        new("contrastive", "expert large, amateur amateur, O'Brien & Lewis β 0.5, α 0.1", "contrastive",
            [("expert", ["large"]), ("amateur", ["amateur"])], "{ formulation: obrien, beta: 0.5, alpha: 0.1 }", "large"),
        new("proxy-tuning", "large + (ft-add − base), α 1", "proxy-tuning",
            [("base", ["large"]), ("expert", [SkillsFixture.FineTuneName("add")]), ("anti_expert", ["base"])], "{ form: proxy, alpha: 1 }", "large", FocusTask: "add"),
        new("logit-average", "mixture of the fine-tunes' probabilities, equal weights", "logit-average",
            [("member", fineTunes)], "{ mode: mixture }", ComparedWith: null),
        new("union-vocab", "union of the fine-tunes' top-10 tokens by text, averaged", "union-vocab",
            [("member", fineTunes)], "{ top_k: 10 }", ComparedWith: null),
    ];

    /// <summary>Every skills model the strategy needs.</summary>
    public IEnumerable<string> Models => Roles.SelectMany(r => r.Models);

    /// <summary>The run config, with each model's exported folder.</summary>
    public string ToYaml(Func<string, string> exported, int maxTokens)
    {
        var yaml = new System.Text.StringBuilder();
        yaml.Append("strategy: ").AppendLine(Strategy);
        yaml.AppendLine("models:");
        foreach (var (role, models) in Roles)
        {
            yaml.Append("  ").Append(role).AppendLine(":");
            foreach (var model in models)
            {
                yaml.Append("    - { path: '").Append(exported(model).Replace("'", "''", StringComparison.Ordinal)).Append("', name: ").Append(model).AppendLine(" }");
            }
        }

        yaml.Append("parameters: ").AppendLine(Parameters);
        yaml.Append("sampling: { temperature: 0, max_tokens: ").Append(maxTokens).AppendLine(" }");
        return yaml.ToString();
    }
}
