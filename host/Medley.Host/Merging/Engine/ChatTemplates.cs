namespace Medley.Host.Merging.Engine;

/// <summary>
/// The named chat templates a merge config may ask for (mergekit's names), as the Jinja text written to the
/// output's <c>tokenizer_config.json</c>. Any other value of <c>chat_template</c> is taken as Jinja itself.
/// </summary>
internal static class ChatTemplates
{
    private static readonly Dictionary<string, string> Named = new(StringComparer.Ordinal)
    {
        ["chatml"] = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
        ["llama3"] = "{{ bos_token }}{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}",
        ["alpaca"] = "{% for message in messages %}{% if message['role'] == 'system' %}{{ message['content'] + '\\n\\n' }}{% elif message['role'] == 'user' %}{{ '### Instruction:\\n' + message['content'] + '\\n\\n' }}{% elif message['role'] == 'assistant' %}{{ '### Response:\\n' + message['content'] + eos_token + '\\n\\n' }}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '### Response:\\n' }}{% endif %}",
        ["mistral"] = "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token }}{% endif %}{% endfor %}",
        ["exaone"] = "{% for message in messages %}{{ '[|' + message['role'] + '|]' + message['content'] }}{% if message['role'] == 'user' %}{{ '\\n' }}{% else %}{{ '[|endofturn|]\\n' }}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '[|assistant|]' }}{% endif %}",
    };

    /// <summary>The Jinja text for a config's <c>chat_template</c>, or <see langword="null"/> for <c>auto</c> (keep the tokenizer source's).</summary>
    /// <param name="value">The config value.</param>
    /// <returns>The template text.</returns>
    public static string? Resolve(string? value) =>
        value is null or "auto" ? null : Named.TryGetValue(value, out var template) ? template : value;
}
