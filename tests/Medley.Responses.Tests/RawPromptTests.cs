using Medley.Host.Chat;
using Microsoft.Extensions.AI;

namespace Medley.Responses.Tests;

/// <summary><c>prompt_format: raw</c>: how messages become a completion model's prompt.</summary>
public sealed class RawPromptTests
{
    [Fact]
    public void One_user_message_is_sent_verbatim()
    {
        Assert.Equal("12+345=", OnnxChatClient.RawPrompt([new ChatMessage(ChatRole.User, "12+345=")]));
    }

    [Fact]
    public void Several_messages_are_joined_by_newlines_in_order_without_roles_and_empty_ones_are_skipped()
    {
        ChatMessage[] conversation =
        [
            new(ChatRole.System, "Add."),
            new(ChatRole.User, "1+1="),
            new(ChatRole.Assistant, "2"),
            new(ChatRole.User, string.Empty),
            new(ChatRole.User, "2+2="),
        ];

        Assert.Equal("Add.\n1+1=\n2\n2+2=", OnnxChatClient.RawPrompt(conversation));
    }
}
