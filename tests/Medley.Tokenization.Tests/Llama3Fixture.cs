namespace Medley.Tokenization.Tests;

/// <summary>Llama 3's tokenizer.json pieces, on the small byte-level vocabulary.</summary>
public static class Llama3Fixture
{
    public const string Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public const int BeginOfText = 300;
    public const int EndOfText = 301;
    public const int StartHeader = 302;
    public const int EndHeader = 303;
    public const int EndOfTurn = 304;

    public static object PreTokenizer => new
    {
        type = "Sequence",
        pretokenizers = new object[]
        {
            new { type = "Split", pattern = new { Regex = Pattern }, behavior = "Isolated", invert = false },
            new { type = "ByteLevel", add_prefix_space = false, trim_offsets = true, use_regex = false },
        },
    };

    public static object PostProcessor => new
    {
        type = "Sequence",
        processors = new object[]
        {
            new { type = "ByteLevel", add_prefix_space = true, trim_offsets = false, use_regex = true },
            new
            {
                type = "TemplateProcessing",
                single = new object[]
                {
                    new { SpecialToken = new { id = "<|begin_of_text|>", type_id = 0 } },
                    new { Sequence = new { id = "A", type_id = 0 } },
                },
            },
        },
    };

    public static object[] AddedTokens =>
    [
        ByteLevelFixture.AddedToken(BeginOfText, "<|begin_of_text|>"),
        ByteLevelFixture.AddedToken(EndOfText, "<|end_of_text|>"),
        ByteLevelFixture.AddedToken(StartHeader, "<|start_header_id|>"),
        ByteLevelFixture.AddedToken(EndHeader, "<|end_header_id|>"),
        ByteLevelFixture.AddedToken(EndOfTurn, "<|eot_id|>"),
    ];

    public static void Write(TempFolder folder, string? chatTemplate)
    {
        folder.Write("tokenizer.json", ByteLevelFixture.TokenizerJson(
            ByteLevelFixture.Vocabulary(includeEndOfText: false), ByteLevelFixture.Merges, PreTokenizer, AddedTokens, mergesAsPairs: true, PostProcessor));
        var template = chatTemplate is null ? string.Empty : $", \"chat_template\": {System.Text.Json.JsonSerializer.Serialize(chatTemplate)}";
        folder.Write("tokenizer_config.json", $$"""{"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"{{template}}}""");
        folder.Write("generation_config.json", """{"bos_token_id": 300, "eos_token_id": [301, 304], "do_sample": true}""");
    }
}
