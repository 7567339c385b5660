using System.Text.Json;
using Medley.Host.Runtime;
using Medley.Host.Tokenization;
using Medley.Runtime.Tests;
using Medley.Sdk.Models;
using Medley.Tokenization.Tests;
using static Medley.Tokenization.Tests.SentencePieceModelWriter;
using TokenizerFolder = Medley.Tokenization.Tests.TempFolder;

namespace Medley.UnionVocab.Tests;

/// <summary>
/// Tiny random Llama models exported to ONNX with two real tokenizers over the same text: a character-level one
/// (printable ASCII, space and newline, then &lt;eos&gt;) and GPT-2-style byte-level BPE whose merges build
/// "hello" and " wor"; and a SentencePiece BPE model with the same words, an unknown piece and few characters.
/// Built once per test class.
/// </summary>
public sealed class TinyMembers : IDisposable
{
    public const int CharacterEos = 96;

    private readonly Medley.Runtime.Tests.TempFolder _models = new();
    private readonly TokenizerFolder _characterFolder = new();
    private readonly TokenizerFolder _byteLevelFolder = new();
    private readonly TokenizerFolder _sentencePieceFolder = new();

    public TinyMembers()
    {
        _characterFolder.Write("tokenizer.json", CharacterTokenizerJson());
        _characterFolder.Write("tokenizer_config.json", """{"eos_token": "<eos>"}""");
        CharacterTokenizer = HfTokenizerLoader.Load(_characterFolder.Path);
        ByteLevelFixture.WriteVocabAndMerges(_byteLevelFolder);
        ByteLevelTokenizer = HfTokenizerLoader.Load(_byteLevelFolder.Path);
        _sentencePieceFolder.Write("tokenizer.model", Write(SentencePieces));
        SentencePieceTokenizer = HfTokenizerLoader.Load(_sentencePieceFolder.Path);

        CharacterA = Load(TinyCheckpoint.Llama(seed: 11, vocab: CharacterTokenizer.VocabularySize), "char-a", CharacterTokenizer);
        CharacterB = Load(TinyCheckpoint.Llama(seed: 12, vocab: CharacterTokenizer.VocabularySize), "char-b", CharacterTokenizer);
        ByteLevel = Load(TinyCheckpoint.Llama(seed: 13, vocab: ByteLevelTokenizer.VocabularySize), "bpe", ByteLevelTokenizer);
        SentencePiece = Load(TinyCheckpoint.Llama(seed: 14, vocab: SentencePieceTokenizer.VocabularySize), "sp", SentencePieceTokenizer);
    }

    /// <summary>SentencePiece BPE pieces: higher scores merge first, so "hello world" is ▁hello ▁wor l d.</summary>
    public static IReadOnlyList<(string Piece, float Score, int Type)> SentencePieces { get; } =
    [
        ("<unk>", 0f, Unknown), ("<s>", 0f, Control), ("</s>", 0f, Control),
        ("he", -1f, Normal), ("ll", -2f, Normal), ("hell", -3f, Normal), ("hello", -4f, Normal), ("▁hello", -5f, Normal),
        ("▁w", -6f, Normal), ("or", -7f, Normal), ("▁wor", -8f, Normal),
        ("▁", -9f, Normal), ("h", -10f, Normal), ("e", -11f, Normal), ("l", -12f, Normal), ("o", -13f, Normal),
        ("w", -14f, Normal), ("r", -15f, Normal), ("d", -16f, Normal), ("!", -17f, Normal),
    ];

    public ITextTokenizer CharacterTokenizer { get; }

    public ITextTokenizer ByteLevelTokenizer { get; }

    public ITextTokenizer SentencePieceTokenizer { get; }

    public OnnxCausalLanguageModel CharacterA { get; }

    public OnnxCausalLanguageModel CharacterB { get; }

    public OnnxCausalLanguageModel ByteLevel { get; }

    public OnnxCausalLanguageModel SentencePiece { get; }

    /// <summary>The characters of the character-level vocabulary, in id order.</summary>
    public static IReadOnlyList<string> Characters { get; } =
        [" ", .. Enumerable.Range('!', '~' - '!' + 1).Select(c => ((char)c).ToString()), "\n"];

    public void Dispose()
    {
        CharacterA.Dispose();
        CharacterB.Dispose();
        ByteLevel.Dispose();
        SentencePiece.Dispose();
        _models.Dispose();
        _sentencePieceFolder.Dispose();
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
