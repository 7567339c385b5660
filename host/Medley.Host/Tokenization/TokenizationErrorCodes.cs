namespace Medley.Host.Tokenization;

/// <summary>Stable error codes for tokenizer problems.</summary>
public static class TokenizationErrorCodes
{
    /// <summary>The model folder has none of the tokenizer files Medley reads.</summary>
    public const string FilesMissing = "tokenizer.files-missing";

    /// <summary>A tokenizer file is not valid JSON or lacks a required field.</summary>
    public const string FileInvalid = "tokenizer.file-invalid";

    /// <summary>The tokenizer is of a kind Medley does not implement.</summary>
    public const string Unsupported = "tokenizer.unsupported";

    /// <summary>The text has a character the vocabulary cannot represent and there is no unknown token.</summary>
    public const string UnknownCharacter = "tokenizer.unknown-character";

    /// <summary>No chat template Medley can render is known for the model.</summary>
    public const string NoChatTemplate = "tokenizer.no-chat-template";
}
