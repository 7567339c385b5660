using Medley.Host.Tokenization;
using static Medley.Tokenization.Tests.ByteLevelFixture;

namespace Medley.Tokenization.Tests;

public sealed class ByteLevelBpeTests
{
    // Hand-derived from the fixture. Byte ids follow GPT-2's order: '!'..'~' are 0..93, so 'h' (104) is 71,
    // 'e' 68, 'l' 75, 'o' 78, 'd' 67, 'r' 81, 'w' 86; the space byte is the 33rd non-printable byte, 188 + 32 = 220 ("Ġ").
    // "hello": h e l l o -> he(0) -> ll(1) -> hell(2) -> hello(3) = 259.
    // " world" = "Ġworld": Ġw(4) first, then or(5), then Ġwor(6) = 262; "l" and "d" stay single.
    private static readonly int[] HelloWorldIds = [259, 262, 75, 67];

    [Fact]
    public void Byte_characters_match_the_known_gpt2_ids()
    {
        var characters = ByteCharacters();
        Assert.Equal(0, characters.IndexOf('!'));
        Assert.Equal(71, characters.IndexOf('h'));
        Assert.Equal(220, characters.IndexOf('Ġ'));
    }

    [Fact]
    public void Vocab_and_merges_encode_to_hand_derived_ids()
    {
        using var folder = new TempFolder();
        WriteVocabAndMerges(folder);
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        Assert.Equal(HelloWorldIds, tokenizer.Encode("hello world"));
        Assert.Equal("hello world", tokenizer.Decode(HelloWorldIds));
        Assert.Equal(264, tokenizer.VocabularySize);
        Assert.Equal("Ġwor", tokenizer.GetTokenString(262));
        Assert.Equal("Ġ", tokenizer.GetTokenString(220));
        Assert.Null(tokenizer.GetTokenString(264));
        Assert.Null(tokenizer.GetTokenString(-1));
        Assert.StartsWith("byte-level BPE (264 tokens) from ", tokenizer.Description, StringComparison.Ordinal);
        Assert.Contains(folder.Path, tokenizer.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_ascii_text_goes_through_utf8_bytes()
    {
        using var folder = new TempFolder();
        WriteVocabAndMerges(folder);
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        // "é" is UTF-8 C3 A9: byte 0xC3 (195) is printable, id 106 + (195 - 174) = 127; 0xA9 (169) is 94 + (169 - 161) = 102.
        Assert.Equal([127, 102], tokenizer.Encode("é"));
        Assert.Equal("Ã", tokenizer.GetTokenString(127));
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("  leading spaces, tabs\tand\nnew lines\n\n")]
    [InlineData("naïve café — 東京 🎉 12345")]
    [InlineData("")]
    public void Text_round_trips(string text)
    {
        using var folder = new TempFolder();
        WriteVocabAndMerges(folder);
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void Special_token_in_text_is_one_id_and_is_skipped_on_decode()
    {
        using var folder = new TempFolder();
        WriteVocabAndMerges(folder);
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        var ids = tokenizer.Encode("hello<|endoftext|> world");
        Assert.Equal([259, EndOfText, 262, 75, 67], ids);
        Assert.True(tokenizer.IsSpecialToken(EndOfText));
        Assert.False(tokenizer.IsSpecialToken(259));
        Assert.Equal("hello world", tokenizer.Decode(ids));
        Assert.Equal("hello<|endoftext|> world", tokenizer.Decode(ids, skipSpecialTokens: false));
    }

    [Fact]
    public void Gpt2_config_gives_bos_and_eos_but_no_automatic_bos()
    {
        using var folder = new TempFolder();
        WriteVocabAndMerges(folder);
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        Assert.Equal(EndOfText, tokenizer.BosTokenId);
        Assert.Equal([EndOfText], tokenizer.EosTokenIds);
        Assert.Equal(HelloWorldIds, tokenizer.Encode("hello world", addSpecialTokens: true));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Tokenizer_json_gives_the_same_ids_as_vocab_and_merges(bool mergesAsPairs)
    {
        using var folder = new TempFolder();
        folder.Write("tokenizer.json", TokenizerJson(Vocabulary(), Merges, Gpt2PreTokenizer, [AddedToken(EndOfText, "<|endoftext|>")], mergesAsPairs));
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        Assert.Equal(HelloWorldIds, tokenizer.Encode("hello world"));
        Assert.Equal([259, EndOfText], tokenizer.Encode("hello<|endoftext|>"));
        Assert.True(tokenizer.IsSpecialToken(EndOfText));
        Assert.Equal("naïve 🎉", tokenizer.Decode(tokenizer.Encode("naïve 🎉")));
    }

    [Fact]
    public void Split_pattern_in_tokenizer_json_replaces_the_gpt2_pattern()
    {
        // With a "1 2" merge, GPT-2's " ?\p{N}+" keeps "1212" whole (12 12) while Llama 3's "\p{N}{1,3}"
        // splits it into "121" + "2" (12 1, 2). Digits: '1' is 49 - 33 = 16, '2' is 17; "12" gets id 263.
        using var gpt2 = new TempFolder();
        using var llama = new TempFolder();
        var vocab = Vocabulary(includeEndOfText: false);
        vocab["12"] = 263;
        string[] merges = ["1 2"];
        gpt2.Write("tokenizer.json", TokenizerJson(vocab, merges, Gpt2PreTokenizer, [], mergesAsPairs: false));
        llama.Write("tokenizer.json", TokenizerJson(vocab, merges, Llama3Fixture.PreTokenizer, [], mergesAsPairs: false));

        Assert.Equal([263, 263], HfTokenizerLoader.Load(gpt2.Path).Encode("1212"));
        Assert.Equal([263, 16, 17], HfTokenizerLoader.Load(llama.Path).Encode("1212"));
    }

    [Fact]
    public void Add_prefix_space_puts_a_space_before_text()
    {
        using var folder = new TempFolder();
        var preTokenizer = new { type = "ByteLevel", add_prefix_space = true, trim_offsets = true, use_regex = true };
        folder.Write("tokenizer.json", TokenizerJson(Vocabulary(), Merges, preTokenizer, [], mergesAsPairs: false));
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        // "world" becomes " world": Ġwor l d.
        Assert.Equal([262, 75, 67], tokenizer.Encode("world"));
    }
}
