using System.Globalization;
using System.Text;

namespace Medley.Host.Demo;

/// <summary>
/// A response-level strategy the demo runs through its plugin, as a response run config whose members are the
/// exported skills models with <c>prompt_format: raw</c> (they have no chat template). Members are named by their
/// skills names and resolved to the exported folders.
/// </summary>
/// <param name="Name">The row's name.</param>
/// <param name="Description">What it combines, for the table.</param>
/// <param name="Strategy">The strategy's name.</param>
/// <param name="Members">The skills models of role <c>member</c>, in order.</param>
/// <param name="Parameters">The strategy's parameters, as YAML flow mapping text.</param>
/// <param name="Temperature">The members' sampling temperature (0 is greedy).</param>
internal sealed record DemoResponseRun(
    string Name,
    string Description,
    string Strategy,
    IReadOnlyList<string> Members,
    string Parameters,
    double Temperature = 0)
{
    /// <summary>
    /// The model whose samples are voted on: of base, small, large and ft-sort at temperatures 1.0 and 1.5 (40 items
    /// per task), voting 5 samples gained most over one sample with large at 1.5 (see docs/cli.md).
    /// </summary>
    public const string VotedModel = "large";

    /// <summary>Samples per vote.</summary>
    public const int VoteSamples = 5;

    /// <summary>The temperature of the vote's samples and of the single sample it is compared with.</summary>
    public const double VoteTemperature = 1.5;

    /// <summary>One seed for every sampled row: vote's n-th sample uses seed + n, so its first sample is the single sample's.</summary>
    public const int Seed = 7;

    /// <summary>The share of requests the cascade's calibrated threshold sends on to <c>large</c>.</summary>
    public const double CascadeEscalationTarget = 0.5;

    /// <summary>The rows: rules routing by task, vote over samples against one sample, and the small → large cascade.</summary>
    /// <param name="fineTunes">The fine-tunes, named by <see cref="SkillsFixture.FineTuneName"/>.</param>
    /// <param name="cascadeThreshold">The cascade's mean-log-probability threshold, calibrated on small's answers.</param>
    public static IReadOnlyList<DemoResponseRun> For(IReadOnlyList<string> fineTunes, double cascadeThreshold)
    {
        // The task prefixes of the skills prompts; arithmetic prompts carry only their operator.
        (string Keyword, string Task)[] routes = [("rev:", "rev"), ("sort:", "sort"), ("count:", "count"), ("+", "add"), ("-", "sub")];
        var rules = routes.Where(r => fineTunes.Contains(SkillsFixture.FineTuneName(r.Task)))
            .Select(r => $"{{ keywords: ['{r.Keyword}'], member: {SkillsFixture.FineTuneName(r.Task)} }}");
        var vote = string.Create(CultureInfo.InvariantCulture, $"{VoteSamples} samples of {VotedModel} at temperature {VoteTemperature}, majority answer");
        return
        [
            new("router", "rules by task prefix → that task's fine-tune, else base", "router",
                ["base", .. fineTunes], $"{{ mode: rules, rules: [{string.Join(", ", rules)}], default: base }}"),
            new("vote", vote, "vote", [VotedModel], $"{{ samples: {VoteSamples}, concurrency: 1 }}", VoteTemperature),
            new("vote-1", string.Create(CultureInfo.InvariantCulture, $"vote over 1 sample of {VotedModel} at temperature {VoteTemperature}"), "vote",
                [VotedModel], "{ samples: 1, concurrency: 1 }", VoteTemperature),
            new("sample", string.Create(CultureInfo.InvariantCulture, $"one sample of {VotedModel} at temperature {VoteTemperature} (router of one member)"), "router",
                [VotedModel], $"{{ mode: rules, default: {VotedModel} }}", VoteTemperature),
            new("cascade", string.Create(CultureInfo.InvariantCulture, $"small, escalate to large when mean log p < {cascadeThreshold:0.000} (calibrated)"), "cascade",
                ["small", "large"], string.Create(CultureInfo.InvariantCulture, $"{{ scorer: logprob, threshold: {cascadeThreshold:R} }}")),
        ];
    }

    /// <summary>The run config, with each model's exported folder.</summary>
    public string ToYaml(Func<string, string> exported, int maxTokens)
    {
        var yaml = new StringBuilder();
        yaml.Append("strategy: ").AppendLine(Strategy);
        yaml.AppendLine("models:");
        yaml.AppendLine("  member:");
        foreach (var model in Members)
        {
            yaml.Append("    - { path: '").Append(exported(model).Replace("'", "''", StringComparison.Ordinal)).Append("', name: ").Append(model).AppendLine(", prompt_format: raw }");
        }

        yaml.Append("parameters: ").AppendLine(Parameters);
        yaml.Append(CultureInfo.InvariantCulture, $"sampling: {{ temperature: {Temperature:R}, max_tokens: {maxTokens}, seed: {Seed} }}").AppendLine();
        return yaml.ToString();
    }
}
