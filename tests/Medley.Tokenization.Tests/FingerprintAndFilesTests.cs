using System.Text.Json;
using Medley.Host.Tokenization;
using Medley.Sdk;
using static Medley.Tokenization.Tests.ByteLevelFixture;

namespace Medley.Tokenization.Tests;

public sealed class FingerprintAndFilesTests
{
    [Fact]
    public void Equal_vocabularies_in_different_folders_and_formats_have_equal_fingerprints()
    {
        using var first = new TempFolder();
        using var second = new TempFolder();
        WriteVocabAndMerges(first);
        second.Write("tokenizer.json", TokenizerJson(Vocabulary(), Merges, Gpt2PreTokenizer, [AddedToken(EndOfText, "<|endoftext|>")], mergesAsPairs: true));

        var a = HfTokenizerLoader.Load(first.Path);
        var b = HfTokenizerLoader.Load(second.Path);

        Assert.Equal(a.VocabularyFingerprint, b.VocabularyFingerprint);
        Assert.Matches("^[0-9a-f]{64}$", a.VocabularyFingerprint);
        Assert.NotEqual(a.Description, b.Description);
    }

    [Fact]
    public void One_changed_token_changes_the_fingerprint()
    {
        using var first = new TempFolder();
        using var second = new TempFolder();
        WriteVocabAndMerges(first);
        var vocab = Vocabulary();
        vocab.Remove("<|endoftext|>");
        vocab["<|end|>"] = EndOfText;
        second.Write("vocab.json", JsonSerializer.Serialize(vocab));
        second.Write("merges.txt", string.Join("\n", Merges));

        Assert.NotEqual(HfTokenizerLoader.Load(first.Path).VocabularyFingerprint, HfTokenizerLoader.Load(second.Path).VocabularyFingerprint);
    }

    [Fact]
    public void Missing_files_name_the_folder_and_every_file_looked_for()
    {
        using var folder = new TempFolder();
        folder.Write("config.json", "{}");
        folder.Write("vocab.json", "{}");

        var error = Assert.Throws<MedleyException>(() => HfTokenizerLoader.Load(folder.Path));

        Assert.Equal(TokenizationErrorCodes.FilesMissing, error.Code);
        Assert.Equal(
            $"No tokenizer in {folder.Path}: looked for tokenizer.json, vocab.json with merges.txt, and tokenizer.model.",
            error.Message);
    }

    [Fact]
    public void Malformed_json_names_the_file()
    {
        using var folder = new TempFolder();
        folder.Write("tokenizer.json", "{\"model\": ");

        var error = Assert.Throws<MedleyException>(() => HfTokenizerLoader.Load(folder.Path));

        Assert.Equal(TokenizationErrorCodes.FileInvalid, error.Code);
        Assert.Contains(Path.Combine(folder.Path, "tokenizer.json"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_merge_line_names_the_file_and_line()
    {
        using var folder = new TempFolder();
        folder.Write("vocab.json", JsonSerializer.Serialize(Vocabulary()));
        folder.Write("merges.txt", "h e\nthree parts here\n");

        var error = Assert.Throws<MedleyException>(() => HfTokenizerLoader.Load(folder.Path));

        Assert.Equal(TokenizationErrorCodes.FileInvalid, error.Code);
        Assert.Contains("merges.txt", error.Message, StringComparison.Ordinal);
        Assert.Contains("three parts here", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_integer_eos_in_generation_config_names_the_file_and_field()
    {
        using var folder = new TempFolder();
        WriteVocabAndMerges(folder);
        folder.Write("generation_config.json", """{"eos_token_id": ["<|endoftext|>"]}""");

        var error = Assert.Throws<MedleyException>(() => HfTokenizerLoader.Load(folder.Path));

        Assert.Equal(TokenizationErrorCodes.FileInvalid, error.Code);
        Assert.Contains("generation_config.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("eos_token_id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decoding_an_id_outside_the_vocabulary_is_refused()
    {
        using var folder = new TempFolder();
        WriteVocabAndMerges(folder);
        var tokenizer = HfTokenizerLoader.Load(folder.Path);

        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([259, 264]));
    }
}
