using System.Globalization;
using System.Text.RegularExpressions;

namespace Medley.FusionStrategies.Tests.Support;

/// <summary>
/// Judges for tests: they read the two candidates from a prompt built with <see cref="Template"/> and answer with a
/// rule. Candidate texts are like "q7": the number is the candidate's quality.
/// </summary>
public static partial class PairJudge
{
    public const string Template = "Q: {instruction}\nA=<<{candidate_a}>> B=<<{candidate_b}>>";

    public static string TemplateParameter => "\"judge_prompt\":\"Q: {instruction}\\nA=<<{candidate_a}>> B=<<{candidate_b}>>\"";

    public static RuleChatClient Create(Func<string, string, string> decide) => new(messages =>
    {
        var match = Shown().Match(messages.Single().Text);
        Assert.True(match.Success, "the judge prompt did not follow the template: " + messages.Single().Text);
        return decide(match.Groups[1].Value, match.Groups[2].Value);
    });

    /// <summary>Prefers the higher quality; equal qualities: "tie".</summary>
    public static RuleChatClient ByQuality() => Create((a, b) =>
        Quality(a) > Quality(b) ? "A" : Quality(b) > Quality(a) ? "B" : "tie");

    public static int Quality(string text) => int.Parse(text.AsSpan(1), CultureInfo.InvariantCulture);

    [GeneratedRegex("A=<<(.*?)>> B=<<(.*?)>>", RegexOptions.Singleline)]
    private static partial Regex Shown();
}
