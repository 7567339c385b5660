using Medley.Host.Tokenization;
using Microsoft.Extensions.AI;
using static Medley.Tokenization.Tests.Llama3Fixture;

namespace Medley.Tokenization.Tests;

public sealed class Llama3TokenizerTests
{
    private const string MetaTemplate =
        "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}";

    [Fact]
    public void Bos_comes_from_generation_config_and_eos_lists_every_configured_id()
    {
        using var folder = new TempFolder();
        Write(folder, MetaTemplate);
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        Assert.Equal(BeginOfText, tokenizer.BosTokenId);
        Assert.Equal([EndOfText, EndOfTurn], tokenizer.EosTokenIds);
        Assert.True(tokenizer.IsSpecialToken(EndOfTurn));
        Assert.Equal(305, tokenizer.VocabularySize);
        Assert.Equal("<|eot_id|>", tokenizer.GetTokenString(EndOfTurn));
    }

    [Fact]
    public void Post_processor_bos_is_added_once()
    {
        using var folder = new TempFolder();
        Write(folder, MetaTemplate);
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        Assert.True(tokenizer.AddsBosToken);
        Assert.Equal([BeginOfText, 259], tokenizer.Encode("hello", addSpecialTokens: true));
        Assert.Equal([259], tokenizer.Encode("hello"));
        Assert.Equal([BeginOfText, 259], tokenizer.Encode("<|begin_of_text|>hello", addSpecialTokens: true));
    }

    [Fact]
    public void Add_bos_token_false_in_config_wins_over_the_post_processor()
    {
        using var folder = new TempFolder();
        Write(folder, MetaTemplate);
        folder.Write("tokenizer_config.json", """{"bos_token": {"content": "<|begin_of_text|>", "special": true}, "add_bos_token": false}""");
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        Assert.Equal([259], tokenizer.Encode("hello", addSpecialTokens: true));
    }

    [Fact]
    public void Meta_template_renders_the_llama3_layout()
    {
        using var folder = new TempFolder();
        Write(folder, MetaTemplate);
        var tokenizer = HfTokenizerLoader.Load(folder.Path);
        ChatMessage[] messages = [new(ChatRole.System, "Be brief."), new(ChatRole.User, " hello world \n")];

        Assert.True(tokenizer.HasChatTemplate);
        Assert.Equal(ChatTemplateFormat.Llama3, tokenizer.ChatFormat);
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nhello world<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n",
            tokenizer.ApplyChatTemplate(messages));
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>",
            tokenizer.ApplyChatTemplate([new(ChatRole.User, "hi")], addGenerationPrompt: false));
    }

    [Fact]
    public void Chat_prompt_markers_encode_as_single_ids_and_decode_away()
    {
        using var folder = new TempFolder();
        Write(folder, MetaTemplate);
        var tokenizer = HfTokenizerLoader.Load(folder.Path);
        var prompt = tokenizer.ApplyChatTemplate([new(ChatRole.User, "hello world")]);

        var ids = tokenizer.Encode(prompt, addSpecialTokens: true);

        // <|begin_of_text|> <|start_header_id|> u s e r <|end_header_id|> Ċ Ċ hello Ġwor l d <|eot_id|> <|start_header_id|> ...
        // ("user" has no merges: u = 117 - 33 = 84, s = 82, e = 68, r = 81; "\n" is byte 10, id 188 + 10 = 198.)
        Assert.Equal([BeginOfText, StartHeader, 84, 82, 68, 81, EndHeader, 198, 198, 259, 262, 75, 67, EndOfTurn, StartHeader], ids.Take(15));
        Assert.Equal("user\n\nhello worldassistant\n\n", tokenizer.Decode(ids));
        Assert.Equal(prompt, tokenizer.Decode(ids, skipSpecialTokens: false));
    }

    [Fact]
    public void Without_a_template_the_marker_tokens_select_the_llama3_layout()
    {
        using var folder = new TempFolder();
        Write(folder, chatTemplate: null);
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        Assert.Equal(ChatTemplateFormat.Llama3, tokenizer.ChatFormat);
    }
}
