using System.Text.Json;
using Medley.Host.Runtime;
using Medley.Host.Tokenization;
using Medley.Runtime.Tests;
using Medley.Sdk.Models;
using Medley.Tokenization.Tests;
using TokenizerFolder = Medley.Tokenization.Tests.TempFolder;

namespace Medley.UnionVocab.Tests;

/// <summary>
/// Tiny random Llama models exported to ONNX with two real tokenizers over the same text: a character-level one
/// (printable ASCII, space and newline, then &lt;eos&gt;) and GPT-2-style byte-level BPE whose merges build
/// "hello" and " wor". Built once per test class.
/// </summary>
public sealed class TinyMembers : IDisposable
{
    public const int CharacterEos = 96;

    private readonly Medley.Runtime.Tests.TempFolder _models = new();
    private readonly TokenizerFolder _characterFolder = new();
    private readonly TokenizerFolder _byteLevelFolder = new();

    public TinyMembers()
    {
        _characterFolder.Write("tokenizer.json", CharacterTokenizerJson());
        _characterFolder.Write("tokenizer_config.json", """{"eos_token": "<eos>"}""");
        CharacterTokenizer = HfTokenizerLoader.Load(_characterFolder.Path);
        ByteLevelFixture.WriteVocabAndMerges(_byteLevelFolder);
        ByteLevelTokenizer = HfTokenizerLoader.Load(_byteLevelFolder.Path);

        CharacterA = Load(TinyCheckpoint.Llama(seed: 11, vocab: CharacterTokenizer.VocabularySize), "char-a", CharacterTokenizer);
        CharacterB = Load(TinyCheckpoint.Llama(seed: 12, vocab: CharacterTokenizer.VocabularySize), "char-b", CharacterTokenizer);
        ByteLevel = Load(TinyCheckpoint.Llama(seed: 13, vocab: ByteLevelTokenizer.VocabularySize), "bpe", ByteLevelTokenizer);
    }

    public ITextTokenizer CharacterTokenizer { get; }

    public ITextTokenizer ByteLevelTokenizer { get; }

    public OnnxCausalLanguageModel CharacterA { get; }

    public OnnxCausalLanguageModel CharacterB { get; }

    public OnnxCausalLanguageModel ByteLevel { get; }

    /// <summary>The characters of the character-level vocabulary, in id order.</summary>
    public static IReadOnlyList<string> Characters { get; } =
        [" ", .. Enumerable.Range('!', '~' - '!' + 1).Select(c => ((char)c).ToString()), "\n"];

    public void Dispose()
    {
        CharacterA.Dispose();
        CharacterB.Dispose();
        ByteLevel.Dispose();
        _models.Dispose();
        _characterFolder.Dispose();
        _byteLevelFolder.Dispose();
    }

    private OnnxCausalLanguageModel Load(TinyCheckpoint checkpoint, string name, ITextTokenizer tokenizer) =>
        OnnxCausalLanguageModel.Load(new OnnxModelOptions
        {
            Path = ModelFixtures.Export(checkpoint, _models, name: name),
            TokenizerFactory = _ => tokenizer,
            Name = name,
        });

    private static string CharacterTokenizerJson()
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var character in Characters)
        {
            vocab[character] = vocab.Count;
        }

        vocab["<eos>"] = CharacterEos;
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["added_tokens"] = new[] { ByteLevelFixture.AddedToken(CharacterEos, "<eos>") },
            ["normalizer"] = null,
            ["pre_tokenizer"] = null,
            ["decoder"] = null,
            ["model"] = new { type = "WordLevel", vocab, unk_token = (string?)null },
        });
    }
}
