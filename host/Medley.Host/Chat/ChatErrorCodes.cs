namespace Medley.Host.Chat;

/// <summary>Stable error codes of the local chat client.</summary>
public static class ChatErrorCodes
{
    /// <summary>The request has no messages.</summary>
    public const string NoMessages = "chat.messages.empty";

    /// <summary>The chat template rendered the messages to no tokens.</summary>
    public const string EmptyPrompt = "chat.prompt.empty";

    /// <summary>A <see cref="Microsoft.Extensions.AI.ChatOptions"/> value is out of range.</summary>
    public const string InvalidOption = "chat.options.invalid";
}
