using Medley.Host.Tokenization;
using Microsoft.Extensions.AI;
using static Medley.Tokenization.Tests.SentencePieceModelWriter;

namespace Medley.Tokenization.Tests;

public sealed class SentencePieceTests
{
    // SentencePiece BPE merges the adjacent pair whose concatenation has the highest score.
    // "▁hello": he(-1), ll(-2), hell(-3), hello(-4), ▁hello(-5) -> 7.
    // "▁world": ▁w(-6) before or(-7), then ▁wor(-8) -> 10, then l = 14, d = 18.
    private static readonly (string, float, int)[] Pieces =
    [
        ("<unk>", 0f, Unknown), ("<s>", 0f, Control), ("</s>", 0f, Control),
        ("he", -1f, Normal), ("ll", -2f, Normal), ("hell", -3f, Normal), ("hello", -4f, Normal), ("▁hello", -5f, Normal),
        ("▁w", -6f, Normal), ("or", -7f, Normal), ("▁wor", -8f, Normal),
        ("▁", -9f, Normal), ("h", -10f, Normal), ("e", -11f, Normal), ("l", -12f, Normal), ("o", -13f, Normal),
        ("w", -14f, Normal), ("r", -15f, Normal), ("d", -16f, Normal),
    ];

    [Fact]
    public void Hand_made_model_encodes_to_hand_derived_ids_with_bos()
    {
        using var folder = new TempFolder();
        folder.Write("tokenizer.model", Write(Pieces));
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        Assert.Equal([7, 10, 14, 18], tokenizer.Encode("hello world"));
        Assert.Equal([1, 7, 10, 14, 18], tokenizer.Encode("hello world", addSpecialTokens: true));
        Assert.Equal("hello world", tokenizer.Decode([1, 7, 10, 14, 18, 2]));
        Assert.Equal(1, tokenizer.BosTokenId);
        Assert.Equal([2], tokenizer.EosTokenIds);
        Assert.True(tokenizer.IsSpecialToken(2));
        Assert.Equal("▁wor", tokenizer.GetTokenString(10));
        Assert.Equal(19, tokenizer.VocabularySize);
        Assert.StartsWith("SentencePiece (19 tokens) from ", tokenizer.Description, StringComparison.Ordinal);
        Assert.False(tokenizer.HasChatTemplate);
    }

    [Fact]
    public void Special_tokens_in_text_are_single_ids()
    {
        using var folder = new TempFolder();
        folder.Write("tokenizer.model", Write(Pieces));
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        var ids = tokenizer.Encode("hello</s>");

        Assert.Equal([7, 2], ids);
        Assert.Equal("hello</s>", tokenizer.Decode(ids, skipSpecialTokens: false));
    }

    [Fact]
    public void Sentencepiece_style_tokenizer_json_defers_to_tokenizer_model()
    {
        using var folder = new TempFolder();
        folder.Write("tokenizer.model", Write(Pieces));
        folder.Write("tokenizer.json", """
            {"normalizer": {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "▁"}, {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]},
             "pre_tokenizer": null, "decoder": {"type": "Sequence", "decoders": []},
             "model": {"type": "BPE", "vocab": {"<unk>": 0, "h": 1, "e": 2, "he": 3}, "merges": ["h e"], "byte_fallback": true}}
            """);
        folder.Write("tokenizer_config.json", """{"add_bos_token": false, "chat_template": "{% for m in messages %}<|im_start|>{{ m.role }}<|im_end|>{% endfor %}"}""");
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        Assert.StartsWith("SentencePiece", tokenizer.Description, StringComparison.Ordinal);
        Assert.Equal([7], tokenizer.Encode("hello", addSpecialTokens: true));
        Assert.Equal("<|im_start|>user\nhi<|im_end|>\n", tokenizer.ApplyChatTemplate([new(ChatRole.User, "hi")], addGenerationPrompt: false));
    }
}
