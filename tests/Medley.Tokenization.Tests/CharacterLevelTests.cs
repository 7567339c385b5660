using System.Text.Json;
using Medley.Host.Tokenization;
using Medley.Sdk;

namespace Medley.Tokenization.Tests;

public sealed class CharacterLevelTests
{
    private static string CharacterTokenizerJson(string modelType, bool withUnknown)
    {
        var vocab = new Dictionary<string, int> { ["<unk>"] = 0, [" "] = 1, ["a"] = 2, ["b"] = 3, ["c"] = 4, ["\n"] = 5, ["é"] = 6, ["🎉"] = 7 };
        if (!withUnknown)
        {
            vocab.Remove("<unk>");
        }

        object model = modelType == "BPE"
            ? new { type = "BPE", vocab, merges = Array.Empty<string>(), unk_token = withUnknown ? "<unk>" : null }
            : new { type = "WordLevel", vocab, unk_token = withUnknown ? "<unk>" : null };
        object[] added = withUnknown
            ? [ByteLevelFixture.AddedToken(0, "<unk>"), ByteLevelFixture.AddedToken(8, "<eos>")]
            : [ByteLevelFixture.AddedToken(8, "<eos>")];
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = null,
            ["decoder"] = null,
            ["model"] = model,
        });
    }

    [Theory]
    [InlineData("BPE")]
    [InlineData("WordLevel")]
    public void Each_character_is_one_id(string modelType)
    {
        using var folder = new TempFolder();
        folder.Write("tokenizer.json", CharacterTokenizerJson(modelType, withUnknown: true));
        folder.Write("tokenizer_config.json", """{"eos_token": "<eos>"}""");
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        Assert.Equal([2, 3, 1, 4, 5, 6, 7, 8], tokenizer.Encode("ab c\né🎉<eos>"));
        Assert.Equal([2, 0, 3], tokenizer.Encode("azb"));
        Assert.Equal("ab c\né🎉", tokenizer.Decode([2, 3, 1, 4, 5, 6, 7, 8]));
        Assert.Equal([8], tokenizer.EosTokenIds);
        Assert.Equal(9, tokenizer.VocabularySize);
        Assert.StartsWith("character-level (9 tokens)", tokenizer.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_character_without_unk_token_names_the_character_and_folder()
    {
        using var folder = new TempFolder();
        folder.Write("tokenizer.json", CharacterTokenizerJson("WordLevel", withUnknown: false));
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        var error = Assert.Throws<MedleyException>(() => tokenizer.Encode("az"));
        Assert.Equal(TokenizationErrorCodes.UnknownCharacter, error.Code);
        Assert.Contains("U+007A", error.Message, StringComparison.Ordinal);
        Assert.Contains(folder.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Word_level_with_whole_words_is_reported_unsupported()
    {
        using var folder = new TempFolder();
        folder.Write("tokenizer.json", """{"model": {"type": "WordLevel", "vocab": {"hello": 0, "world": 1}, "unk_token": null}}""");

        var error = Assert.Throws<MedleyException>(() => HfTokenizerLoader.Load(folder.Path));
        Assert.Equal(TokenizationErrorCodes.Unsupported, error.Code);
        Assert.Contains("WordLevel", error.Message, StringComparison.Ordinal);
    }
}
