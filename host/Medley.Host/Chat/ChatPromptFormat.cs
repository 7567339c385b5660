namespace Medley.Host.Chat;

/// <summary>How a local model turns chat messages into the text it continues.</summary>
public enum ChatPromptFormat
{
    /// <summary>The tokenizer's chat template (the default; needs a model with one).</summary>
    Template,

    /// <summary>
    /// A completion model (no chat template): the messages' texts, instructions first, joined by newlines with no role
    /// markers, so one user message is sent verbatim.
    /// </summary>
    Raw,
}
