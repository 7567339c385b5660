using System.Globalization;
using Microsoft.Extensions.AI;

namespace Medley.Ensemble.MixtureOfAgents;

/// <summary>
/// The aggregate-and-synthesize system prompt: the previous layer's answers, numbered, inside a template. It leads the
/// user's conversation, or is appended to the conversation's own leading system message (as the MoA reference code does).
/// </summary>
internal sealed class AggregatePrompt
{
    // The paper's prompt, reworded: combine, judge critically, do not copy, answer the request well.
    public const string DefaultTemplate =
        """
        Several models have answered the user's latest request; their answers are listed below. Combine them into one answer of high quality. Weigh them critically: some of them may be wrong, biased or incomplete. Do not simply copy one of them; write a single accurate, well-organised and complete reply that does what the user asked.

        Answers from the models:
        {responses}
        """;

    public const string Placeholder = "{responses}";

    private readonly string _template;

    public AggregatePrompt(string template) => _template = template;

    public List<ChatMessage> Messages(IReadOnlyList<ChatMessage> conversation, IReadOnlyList<string> answers)
    {
        var responses = string.Join("\n", answers.Select((text, i) => $"{(i + 1).ToString(CultureInfo.InvariantCulture)}. {text}"));
        var system = _template.Replace(Placeholder, responses, StringComparison.Ordinal);
        if (conversation.Count > 0 && conversation[0].Role == ChatRole.System)
        {
            return [new ChatMessage(ChatRole.System, conversation[0].Text + "\n\n" + system), .. conversation.Skip(1)];
        }

        return [new ChatMessage(ChatRole.System, system), .. conversation];
    }
}
