namespace Medley.Host.Tokenization;

/// <summary>The chat layouts Medley renders itself (it does not run Jinja templates).</summary>
public enum ChatTemplateFormat
{
    /// <summary>No supported template is known.</summary>
    None,

    /// <summary><c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> (Qwen, SmolLM, many fine-tunes).</summary>
    ChatMl,

    /// <summary><c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\ncontent&lt;|eot_id|&gt;</c> (Llama 3).</summary>
    Llama3,
}
