using System.Text;
using Microsoft.Extensions.AI;

namespace Medley.Host.Tokenization;

/// <summary>
/// Recognises and renders the chat layouts in <see cref="ChatTemplateFormat"/>. Hugging Face ships chat
/// templates as Jinja programs; Medley has no Jinja engine, so it identifies the layout by the marker tokens
/// the template writes and renders that layout in code. Template extras (default system prompts, tool
/// calls, date headers) are therefore not reproduced.
/// </summary>
public static class ChatTemplates
{
    /// <summary>The formats Medley can render, for messages.</summary>
    public const string SupportedFormats = "ChatML (<|im_start|>/<|im_end|>) and Llama 3 (<|start_header_id|>/<|eot_id|>)";

    /// <summary>Identifies the layout a Jinja chat template writes.</summary>
    /// <param name="template">The template text, if any.</param>
    /// <returns>The layout, or <see cref="ChatTemplateFormat.None"/>.</returns>
    public static ChatTemplateFormat Recognise(string? template)
    {
        if (string.IsNullOrEmpty(template))
        {
            return ChatTemplateFormat.None;
        }

        if (template.Contains("<|start_header_id|>", StringComparison.Ordinal)
            && template.Contains("<|eot_id|>", StringComparison.Ordinal))
        {
            return ChatTemplateFormat.Llama3;
        }

        return template.Contains("<|im_start|>", StringComparison.Ordinal)
            && template.Contains("<|im_end|>", StringComparison.Ordinal)
            ? ChatTemplateFormat.ChatMl
            : ChatTemplateFormat.None;
    }

    /// <summary>Guesses the layout from the vocabulary's special tokens when the model ships no template.</summary>
    /// <param name="hasToken">Whether the vocabulary has a given added token.</param>
    /// <returns>The layout, or <see cref="ChatTemplateFormat.None"/>.</returns>
    public static ChatTemplateFormat FromSpecialTokens(Func<string, bool> hasToken)
    {
        ArgumentNullException.ThrowIfNull(hasToken);
        if (hasToken("<|start_header_id|>") && hasToken("<|end_header_id|>") && hasToken("<|eot_id|>"))
        {
            return ChatTemplateFormat.Llama3;
        }

        return hasToken("<|im_start|>") && hasToken("<|im_end|>") ? ChatTemplateFormat.ChatMl : ChatTemplateFormat.None;
    }

    /// <summary>Renders a conversation.</summary>
    /// <param name="format">The layout; not <see cref="ChatTemplateFormat.None"/>.</param>
    /// <param name="messages">The conversation.</param>
    /// <param name="addGenerationPrompt">Whether to end with the assistant's turn opener.</param>
    /// <returns>The prompt text, special markers included.</returns>
    public static string Render(ChatTemplateFormat format, IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var text = new StringBuilder();
        switch (format)
        {
            case ChatTemplateFormat.ChatMl:
                foreach (var message in messages)
                {
                    text.Append("<|im_start|>").Append(message.Role.Value).Append('\n')
                        .Append(message.Text).Append("<|im_end|>\n");
                }

                if (addGenerationPrompt)
                {
                    text.Append("<|im_start|>assistant\n");
                }

                break;
            case ChatTemplateFormat.Llama3:
                text.Append("<|begin_of_text|>");
                foreach (var message in messages)
                {
                    // Meta's template trims each message's content.
                    text.Append("<|start_header_id|>").Append(message.Role.Value).Append("<|end_header_id|>\n\n")
                        .Append(message.Text.Trim()).Append("<|eot_id|>");
                }

                if (addGenerationPrompt)
                {
                    text.Append("<|start_header_id|>assistant<|end_header_id|>\n\n");
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "No chat layout to render.");
        }

        return text.ToString();
    }
}
