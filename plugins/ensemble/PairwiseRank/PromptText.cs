using Medley.Sdk;
using Microsoft.Extensions.AI;

namespace Medley.Ensemble.PairwiseRank;

/// <summary>Fills prompt templates and renders the user's conversation for the judge and the fuser.</summary>
internal static class PromptText
{
    // The judge and the fuser see one prompt, so a multi-turn conversation is written out turn by turn.
    public static string Instruction(IReadOnlyList<ChatMessage> messages) =>
        messages.Count == 1
            ? messages[0].Text
            : string.Join("\n", messages.Select(m => $"{m.Role.Value}: {m.Text}"));

    public static string Fill(string template, IReadOnlyDictionary<string, string> values)
    {
        // One pass over the template, so a candidate's text containing "{candidate_b}" is never substituted again.
        var result = new System.Text.StringBuilder(template.Length);
        var position = 0;
        while (position < template.Length)
        {
            var open = template.IndexOf('{', position);
            if (open < 0)
            {
                break;
            }

            var close = template.IndexOf('}', open + 1);
            if (close < 0)
            {
                break;
            }

            result.Append(template, position, open - position);
            var name = template.Substring(open + 1, close - open - 1);
            if (values.TryGetValue(name, out var value))
            {
                result.Append(value);
                position = close + 1;
            }
            else
            {
                result.Append('{');
                position = open + 1;
            }
        }

        result.Append(template, position, template.Length - position);
        return result.ToString();
    }

    public static string RequirePlaceholders(string? template, string parameter, string defaultTemplate, params string[] placeholders)
    {
        var text = template ?? defaultTemplate;
        var missing = placeholders.Where(p => !text.Contains("{" + p + "}", StringComparison.Ordinal)).ToList();
        return missing.Count == 0
            ? text
            : throw new MedleyException(
                "parameter.invalid",
                $"Parameter '{parameter}' lacks the placeholder(s) {string.Join(", ", missing.Select(p => "{" + p + "}"))}: the template must contain {string.Join(", ", placeholders.Select(p => "{" + p + "}"))}.");
    }
}
