using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Medley.Sdk;
using Microsoft.ML.Tokenizers;

namespace Medley.Host.Tokenization;

/// <summary>
/// Reads a Hugging Face checkpoint folder's tokenizer. Looks, in order, for <c>tokenizer.json</c> (byte-level
/// BPE as in GPT-2, Llama 3 and Qwen, or a character-level vocabulary), <c>vocab.json</c> with
/// <c>merges.txt</c> (GPT-2 byte-level BPE) and <c>tokenizer.model</c> (SentencePiece, as in Llama 2).
/// Special tokens, BOS/EOS and the chat layout come from <c>tokenizer_config.json</c>,
/// <c>generation_config.json</c> and <c>config.json</c> when present.
/// </summary>
public static class HfTokenizerLoader
{
    /// <summary>GPT-2's pre-tokenizer, used when a byte-level tokenizer names no split pattern of its own.</summary>
    internal const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private const string TokenizerJson = "tokenizer.json";
    private const string VocabJson = "vocab.json";
    private const string MergesTxt = "merges.txt";
    private const string SentencePieceModel = "tokenizer.model";
    private const string TokenizerConfigJson = "tokenizer_config.json";
    private const string GenerationConfigJson = "generation_config.json";
    private const string ConfigJson = "config.json";

    /// <summary>Loads the tokenizer in a checkpoint folder.</summary>
    /// <param name="folder">The checkpoint folder.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="MedleyException">The files are missing, malformed or of an unsupported kind.</exception>
    public static HfTextTokenizer Load(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var config = ReadJson(folder, TokenizerConfigJson);
        var vocabulary = ReadVocabulary(folder);

        AddConfigAddedTokens(folder, config, vocabulary);
        var bosId = ReadBosId(folder, config, vocabulary);
        var eosIds = ReadEosIds(folder, config, vocabulary);

        var size = 0;
        foreach (var id in vocabulary.Tokens.Values.Concat(vocabulary.Added.Values))
        {
            size = Math.Max(size, id + 1);
        }

        var strings = new string?[size];
        foreach (var (token, id) in vocabulary.Tokens)
        {
            strings[id] = token;
        }

        foreach (var (token, id) in vocabulary.Added)
        {
            strings[id] = token;
        }

        var special = new HashSet<int>(vocabulary.Special);
        if (bosId is { } bos)
        {
            special.Add(bos);
        }

        special.UnionWith(eosIds);

        var addBos = ReadBool(config, "add_bos_token") ?? vocabulary.AddsBosByDefault;
        var template = ReadChatTemplate(config);
        var format = ChatTemplates.Recognise(template);
        if (format == ChatTemplateFormat.None && template is null)
        {
            format = ChatTemplates.FromSpecialTokens(vocabulary.Added.ContainsKey);
        }

        return new HfTextTokenizer(
            folder,
            vocabulary.Codec,
            strings,
            vocabulary.Added,
            special,
            bosId,
            eosIds,
            addBos,
            format,
            templateUnrecognised: template is not null && format == ChatTemplateFormat.None);
    }

    private static LoadedVocabulary ReadVocabulary(string folder)
    {
        var tokenizerJson = Path.Combine(folder, TokenizerJson);
        var sentencePiece = Path.Combine(folder, SentencePieceModel);
        if (File.Exists(tokenizerJson))
        {
            var root = ReadJson(folder, TokenizerJson)!;
            var fromJson = ReadTokenizerJson(folder, root, File.Exists(sentencePiece));
            if (fromJson is not null)
            {
                return fromJson;
            }
        }
        else if (File.Exists(Path.Combine(folder, VocabJson)) && File.Exists(Path.Combine(folder, MergesTxt)))
        {
            return ReadVocabAndMerges(folder);
        }

        if (File.Exists(sentencePiece))
        {
            return ReadSentencePiece(folder, sentencePiece);
        }

        throw new MedleyException(
            TokenizationErrorCodes.FilesMissing,
            $"No tokenizer in {folder}: looked for {TokenizerJson}, {VocabJson} with {MergesTxt}, and {SentencePieceModel}.");
    }

    /// <summary>Returns <see langword="null"/> for a SentencePiece-style tokenizer.json when tokenizer.model can serve instead.</summary>
    private static LoadedVocabulary? ReadTokenizerJson(string folder, JsonNode root, bool sentencePieceAvailable)
    {
        var model = root["model"] as JsonObject
            ?? throw Invalid(folder, TokenizerJson, "it has no \"model\" object");
        var type = model["type"]?.GetValue<string>();
        var vocab = ReadVocabObject(folder, TokenizerJson, model["vocab"]);
        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        var special = new HashSet<int>();
        if (root["added_tokens"] is JsonArray addedTokens)
        {
            foreach (var entry in addedTokens)
            {
                var content = entry?["content"]?.GetValue<string>();
                var id = entry?["id"]?.GetValue<int>();
                if (content is null || id is null)
                {
                    throw Invalid(folder, TokenizerJson, "an added_tokens entry lacks \"id\" or \"content\"");
                }

                added[content] = id.Value;
                if (entry!["special"]?.GetValue<bool>() ?? false)
                {
                    special.Add(id.Value);
                }
            }
        }

        var addsBos = PostProcessorAddsToken(root["post_processor"]);
        var byteLevel = HasComponent(root["pre_tokenizer"], "ByteLevel") || HasComponent(root["decoder"], "ByteLevel");
        var merges = type == "BPE" ? ReadMergesArray(folder, model["merges"]) : [];

        if (type == "BPE" && byteLevel)
        {
            var pattern = FindSplitPattern(root["pre_tokenizer"]) ?? Gpt2Pattern;
            var prefixSpace = FindByteLevelPrefixSpace(root["pre_tokenizer"]);
            var codec = CreateByteLevelBpe(vocab, merges, pattern, prefixSpace);
            return new LoadedVocabulary(codec, vocab, added, special, addsBos);
        }

        var unknownToken = model["unk_token"]?.GetValue<string>();
        if ((type == "WordLevel" || (type == "BPE" && merges.Count == 0))
            && vocab.Keys.Where(token => !added.ContainsKey(token)).All(IsOneCharacter))
        {
            int? unknownId = unknownToken is not null && vocab.TryGetValue(unknownToken, out var unk) ? unk : null;
            var codec = new CharacterTokenCodec(
                vocab.Where(pair => !added.ContainsKey(pair.Key)).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal),
                unknownId,
                folder);
            return new LoadedVocabulary(codec, vocab, added, special, addsBos);
        }

        if (sentencePieceAvailable)
        {
            return null;
        }

        throw new MedleyException(
            TokenizationErrorCodes.Unsupported,
            $"The {TokenizerJson} in {folder} has a {type ?? "untyped"} model that is neither byte-level BPE nor character-level; "
            + $"Medley reads byte-level BPE and character-level {TokenizerJson} files, and SentencePiece models from {SentencePieceModel}.");
    }

    private static LoadedVocabulary ReadVocabAndMerges(string folder)
    {
        var vocab = ReadVocabObject(folder, VocabJson, ReadJson(folder, VocabJson));
        var merges = new List<string>();
        foreach (var line in File.ReadLines(Path.Combine(folder, MergesTxt)))
        {
            if (line.StartsWith("#version", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            if (line.Split(' ').Length != 2)
            {
                throw Invalid(folder, MergesTxt, $"the line \"{line}\" is not two tokens separated by one space");
            }

            merges.Add(line);
        }

        var codec = CreateByteLevelBpe(vocab, merges, Gpt2Pattern, addPrefixSpace: false);
        return new LoadedVocabulary(codec, vocab, new Dictionary<string, int>(StringComparer.Ordinal), [], AddsBosByDefault: false);
    }

    private static LoadedVocabulary ReadSentencePiece(string folder, string path)
    {
        SentencePieceTokenizer tokenizer;
        try
        {
            using var stream = File.OpenRead(path);
            tokenizer = LlamaTokenizer.Create(stream, addBeginOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception error) when (error is not MedleyException and not IOException)
        {
            throw new MedleyException(
                TokenizationErrorCodes.FileInvalid,
                $"{path} is not a SentencePiece model the tokenizer library can read: {error.Message}",
                innerException: error);
        }

        var vocab = tokenizer.Vocabulary.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        var special = new HashSet<int>();
        foreach (var (token, id) in new[]
        {
            (tokenizer.BeginningOfSentenceToken, tokenizer.BeginningOfSentenceId),
            (tokenizer.EndOfSentenceToken, tokenizer.EndOfSentenceId),
            (tokenizer.UnknownToken, tokenizer.UnknownId),
        })
        {
            if (!string.IsNullOrEmpty(token) && id >= 0)
            {
                added[token] = id;
                special.Add(id);
            }
        }

        // Llama's SentencePiece models expect BOS unless tokenizer_config.json says otherwise.
        return new LoadedVocabulary(new LibraryTokenCodec("SentencePiece", tokenizer), vocab, added, special, AddsBosByDefault: true);
    }

    private static LibraryTokenCodec CreateByteLevelBpe(Dictionary<string, int> vocab, List<string> merges, string pattern, bool addPrefixSpace)
    {
        var options = new BpeOptions(vocab)
        {
            Merges = merges,
            ByteLevel = true,
            PreTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled), null),
        };
        return new LibraryTokenCodec("byte-level BPE", BpeTokenizer.Create(options), addPrefixSpace);
    }

    private static void AddConfigAddedTokens(string folder, JsonNode? config, LoadedVocabulary vocabulary)
    {
        if (config is null)
        {
            return;
        }

        if (config["added_tokens_decoder"] is JsonObject decoder)
        {
            foreach (var (key, entry) in decoder)
            {
                var content = entry?["content"]?.GetValue<string>();
                if (!int.TryParse(key, out var id) || content is null)
                {
                    throw Invalid(folder, TokenizerConfigJson, $"added_tokens_decoder entry \"{key}\" needs an integer key and a \"content\"");
                }

                vocabulary.Added[content] = id;
                if (entry!["special"]?.GetValue<bool>() ?? false)
                {
                    vocabulary.Special.Add(id);
                }
            }
        }

        // Older configs name their special tokens only as strings (GPT-2's "<|endoftext|>").
        foreach (var field in new[] { "bos_token", "eos_token", "unk_token", "pad_token" })
        {
            if (TokenContent(config[field]) is { } content && vocabulary.Tokens.TryGetValue(content, out var id))
            {
                vocabulary.Added.TryAdd(content, id);
                vocabulary.Special.Add(id);
            }
        }
    }

    private static int? ReadBosId(string folder, JsonNode? config, LoadedVocabulary vocabulary)
    {
        if (ReadIds(folder, GenerationConfigJson, "bos_token_id") is [var fromGeneration, ..])
        {
            return fromGeneration;
        }

        if (TokenContent(config?["bos_token"]) is { } content && vocabulary.Lookup(content) is { } fromTokenizer)
        {
            return fromTokenizer;
        }

        if (ReadIds(folder, ConfigJson, "bos_token_id") is [var fromModel, ..])
        {
            return fromModel;
        }

        return vocabulary.Codec.Kind == "SentencePiece" ? vocabulary.Lookup("<s>") : null;
    }

    private static List<int> ReadEosIds(string folder, JsonNode? config, LoadedVocabulary vocabulary)
    {
        // Generation stops at any id a config names: instruct models list their turn-end marker beside EOS.
        var ids = new List<int>(ReadIds(folder, GenerationConfigJson, "eos_token_id"));
        if (TokenContent(config?["eos_token"]) is { } content && vocabulary.Lookup(content) is { } fromTokenizer)
        {
            ids.Add(fromTokenizer);
        }

        if (ids.Count == 0)
        {
            ids.AddRange(ReadIds(folder, ConfigJson, "eos_token_id"));
        }

        if (ids.Count == 0 && vocabulary.Codec.Kind == "SentencePiece" && vocabulary.Lookup("</s>") is { } end)
        {
            ids.Add(end);
        }

        return [.. ids.Distinct()];
    }

    private static List<int> ReadIds(string folder, string file, string field)
    {
        var node = ReadJson(folder, file)?[field];
        try
        {
            return node switch
            {
                null => [],
                JsonArray array => [.. array.Select(item => item!.GetValue<int>())],
                _ => [node.GetValue<int>()],
            };
        }
        catch (Exception error) when (error is FormatException or InvalidOperationException or NullReferenceException)
        {
            throw Invalid(folder, file, $"\"{field}\" must be an integer or a list of integers");
        }
    }

    private static string? TokenContent(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonObject entry => entry["content"]?.GetValue<string>(),
        _ => null,
    };

    private static bool? ReadBool(JsonNode? config, string field) =>
        config?[field] is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    private static string? ReadChatTemplate(JsonNode? config) => config?["chat_template"] switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,

        // Some configs list named templates; the "default" one is what apply_chat_template uses.
        JsonArray named => named
            .Where(entry => entry?["name"]?.GetValue<string>() == "default")
            .Concat(named)
            .Select(entry => entry?["template"]?.GetValue<string>())
            .FirstOrDefault(text => text is not null),
        _ => null,
    };

    private static Dictionary<string, int> ReadVocabObject(string folder, string file, JsonNode? node)
    {
        if (node is not JsonObject entries)
        {
            throw Invalid(folder, file, "the vocabulary is not an object mapping token strings to ids");
        }

        var vocab = new Dictionary<string, int>(entries.Count, StringComparer.Ordinal);
        foreach (var (token, id) in entries)
        {
            if (id is not JsonValue value || !value.TryGetValue<int>(out var number) || number < 0)
            {
                throw Invalid(folder, file, $"the vocabulary entry \"{token}\" has no non-negative integer id");
            }

            vocab[token] = number;
        }

        return vocab;
    }

    private static List<string> ReadMergesArray(string folder, JsonNode? node)
    {
        var merges = new List<string>();
        if (node is not JsonArray entries)
        {
            return merges;
        }

        foreach (var entry in entries)
        {
            // tokenizers >= 0.20 writes merges as [left, right] pairs, older versions as "left right".
            var merge = entry switch
            {
                JsonArray { Count: 2 } pair => $"{pair[0]!.GetValue<string>()} {pair[1]!.GetValue<string>()}",
                JsonValue value when value.TryGetValue<string>(out var text) && text.Split(' ').Length == 2 => text,
                _ => throw Invalid(folder, TokenizerJson, $"the merge {entry?.ToJsonString()} is not a pair of tokens"),
            };
            merges.Add(merge);
        }

        return merges;
    }

    private static bool HasComponent(JsonNode? node, string type) => node switch
    {
        JsonObject entry when entry["type"]?.GetValue<string>() == type => true,
        JsonObject entry => entry.Any(pair => pair.Value is JsonArray or JsonObject && HasComponent(pair.Value, type)),
        JsonArray items => items.Any(item => HasComponent(item, type)),
        _ => false,
    };

    private static string? FindSplitPattern(JsonNode? node) => node switch
    {
        JsonObject entry when entry["type"]?.GetValue<string>() == "Split" && entry["pattern"]?["Regex"] is JsonValue regex
            => regex.GetValue<string>(),
        JsonObject entry => entry.Select(pair => pair.Value is JsonArray or JsonObject ? FindSplitPattern(pair.Value) : null)
            .FirstOrDefault(pattern => pattern is not null),
        JsonArray items => items.Select(FindSplitPattern).FirstOrDefault(pattern => pattern is not null),
        _ => null,
    };

    private static bool FindByteLevelPrefixSpace(JsonNode? node) => node switch
    {
        JsonObject entry when entry["type"]?.GetValue<string>() == "ByteLevel" => entry["add_prefix_space"]?.GetValue<bool>() ?? false,
        JsonObject entry => entry.Any(pair => pair.Value is JsonArray or JsonObject && FindByteLevelPrefixSpace(pair.Value)),
        JsonArray items => items.Any(FindByteLevelPrefixSpace),
        _ => false,
    };

    /// <summary>Whether a TemplateProcessing post-processor puts a special token before the text (BOS).</summary>
    private static bool PostProcessorAddsToken(JsonNode? node) => node switch
    {
        JsonObject entry when entry["type"]?.GetValue<string>() == "TemplateProcessing"
            => entry["single"] is JsonArray { Count: > 0 } single && single[0]?["SpecialToken"] is not null,
        JsonObject entry when entry["type"]?.GetValue<string>() == "Sequence" && entry["processors"] is JsonArray processors
            => processors.Any(PostProcessorAddsToken),
        _ => false,
    };

    private static bool IsOneCharacter(string token) => token.EnumerateRunes().Take(2).Count() == 1;

    private static JsonNode? ReadJson(string folder, string file)
    {
        var path = Path.Combine(folder, file);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException error)
        {
            throw new MedleyException(
                TokenizationErrorCodes.FileInvalid,
                $"{path} is not valid JSON: {error.Message}",
                innerException: error);
        }
    }

    private static MedleyException Invalid(string folder, string file, string problem) =>
        new(TokenizationErrorCodes.FileInvalid, $"{Path.Combine(folder, file)} is malformed: {problem}.");

    /// <summary>What the tokenizer files define before the config files add to it.</summary>
    private sealed record LoadedVocabulary(
        ITokenCodec Codec,
        Dictionary<string, int> Tokens,
        Dictionary<string, int> Added,
        HashSet<int> Special,
        bool AddsBosByDefault)
    {
        public int? Lookup(string token) =>
            Added.TryGetValue(token, out var id) || Tokens.TryGetValue(token, out id) ? id : null;
    }
}
