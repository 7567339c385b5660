using Medley.Host.Tokenization;
using Medley.Sdk;
using Microsoft.Extensions.AI;
using static Medley.Tokenization.Tests.ByteLevelFixture;

namespace Medley.Tokenization.Tests;

public sealed class ChatMlAndConfigTests
{
    private const int ImStart = 264;
    private const int ImEnd = 265;

    private const string QwenTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    private static void WriteChatMl(TempFolder folder, string configJson)
    {
        var vocab = Vocabulary();
        folder.Write("vocab.json", System.Text.Json.JsonSerializer.Serialize(vocab));
        folder.Write("merges.txt", string.Join("\n", Merges));
        folder.Write("tokenizer_config.json", configJson);
    }

    private static string ChatMlConfig(string? template) =>
        $$"""
        {
          "added_tokens_decoder": {
            "263": {"content": "<|endoftext|>", "special": true},
            "264": {"content": "<|im_start|>", "special": true},
            "265": {"content": "<|im_end|>", "special": true},
            "266": {"content": "<tool>", "special": false}
          },
          "eos_token": "<|im_end|>",
          "bos_token": null{{(template is null ? "" : ", \"chat_template\": " + System.Text.Json.JsonSerializer.Serialize(template))}}
        }
        """;

    [Fact]
    public void ChatMl_template_renders_exactly()
    {
        using var folder = new TempFolder();
        WriteChatMl(folder, ChatMlConfig(QwenTemplate));
        var tokenizer = HfTokenizerLoader.Load(folder.Path);
        ChatMessage[] messages = [new(ChatRole.System, "You are terse."), new(ChatRole.User, "hello world")];

        Assert.Equal(ChatTemplateFormat.ChatMl, tokenizer.ChatFormat);
        Assert.Equal(
            "<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nhello world<|im_end|>\n<|im_start|>assistant\n",
            tokenizer.ApplyChatTemplate(messages));
        Assert.Equal("<|im_start|>user\nhi<|im_end|>\n", tokenizer.ApplyChatTemplate([new(ChatRole.User, "hi")], addGenerationPrompt: false));
    }

    [Fact]
    public void Added_tokens_from_the_config_are_single_ids_and_only_special_ones_are_skipped()
    {
        using var folder = new TempFolder();
        WriteChatMl(folder, ChatMlConfig(QwenTemplate));
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        var ids = tokenizer.Encode("<|im_start|>hello<tool><|im_end|>");

        Assert.Equal([ImStart, 259, 266, ImEnd], ids);
        Assert.Equal("hello<tool>", tokenizer.Decode(ids));
        Assert.False(tokenizer.IsSpecialToken(266));
        Assert.Equal([ImEnd], tokenizer.EosTokenIds);
        Assert.Null(tokenizer.BosTokenId);
        Assert.Equal(267, tokenizer.VocabularySize);
    }

    [Fact]
    public void Integer_eos_in_generation_config_joins_the_tokenizer_eos()
    {
        using var folder = new TempFolder();
        WriteChatMl(folder, ChatMlConfig(QwenTemplate));
        folder.Write("generation_config.json", """{"bos_token_id": 263, "eos_token_id": 263}""");
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        Assert.Equal(263, tokenizer.BosTokenId);
        Assert.Equal([263, ImEnd], tokenizer.EosTokenIds);
    }

    [Fact]
    public void Markers_without_a_template_select_chatml()
    {
        using var folder = new TempFolder();
        WriteChatMl(folder, ChatMlConfig(template: null));

        Assert.Equal(ChatTemplateFormat.ChatMl, HfTokenizerLoader.Load(folder.Path).ChatFormat);
    }

    [Fact]
    public void Unrecognised_template_means_no_chat_and_a_clear_error()
    {
        using var folder = new TempFolder();
        WriteChatMl(folder, ChatMlConfig("{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}"));
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        Assert.False(tokenizer.HasChatTemplate);
        var error = Assert.Throws<MedleyException>(() => tokenizer.ApplyChatTemplate([new(ChatRole.User, "hi")]));
        Assert.Equal(TokenizationErrorCodes.NoChatTemplate, error.Code);
        Assert.Contains(folder.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("ChatML", error.Message, StringComparison.Ordinal);
        Assert.Contains("Llama 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("Jinja", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gpt2_has_no_chat_template()
    {
        using var folder = new TempFolder();
        WriteVocabAndMerges(folder);
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        Assert.False(tokenizer.HasChatTemplate);
        var error = Assert.Throws<MedleyException>(() => tokenizer.ApplyChatTemplate([new(ChatRole.User, "hi")]));
        Assert.Contains("no chat_template", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Named_template_list_uses_the_default_entry()
    {
        using var folder = new TempFolder();
        var config = ChatMlConfig(template: null).TrimEnd().TrimEnd('}')
            + ", \"chat_template\": [{\"name\": \"tool_use\", \"template\": \"{{ x }}\"}, {\"name\": \"default\", \"template\": "
            + System.Text.Json.JsonSerializer.Serialize(QwenTemplate) + "}]}";
        WriteChatMl(folder, config);

        Assert.Equal(ChatTemplateFormat.ChatMl, HfTokenizerLoader.Load(folder.Path).ChatFormat);
    }
}
