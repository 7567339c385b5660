using System.Text;
using System.Text.Json;

namespace Medley.Tokenization.Tests;

/// <summary>
/// A GPT-2-shaped vocabulary small enough to derive by hand: the 256 byte characters as ids 0..255 in
/// GPT-2's order, then one id per merge result, then &lt;|endoftext|&gt;.
/// </summary>
public static class ByteLevelFixture
{
    public const int EndOfText = 263;

    /// <summary>Merges in rank order; result ids are 256 + rank.</summary>
    public static readonly string[] Merges = ["h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or"];

    /// <summary>GPT-2's bytes_to_unicode, written out independently of the library.</summary>
    public static List<char> ByteCharacters()
    {
        var printable = new List<int>();
        printable.AddRange(Enumerable.Range('!', '~' - '!' + 1));
        printable.AddRange(Enumerable.Range('¡', '¬' - '¡' + 1));
        printable.AddRange(Enumerable.Range('®', 'ÿ' - '®' + 1));
        var characters = new char[256];
        foreach (var b in printable)
        {
            characters[b] = (char)b;
        }

        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            if (!printable.Contains(b))
            {
                characters[b] = (char)(256 + next++);
            }
        }

        // Vocabulary order: printable bytes first, then the remapped ones, as GPT-2's encoder.json.
        return [.. printable.Select(b => characters[b]).Concat(Enumerable.Range(0, 256).Where(b => !printable.Contains(b)).Select(b => characters[b]))];
    }

    public static Dictionary<string, int> Vocabulary(bool includeEndOfText = true)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in ByteCharacters())
        {
            vocab[c.ToString()] = vocab.Count;
        }

        foreach (var merge in Merges)
        {
            vocab[merge.Replace(" ", "", StringComparison.Ordinal)] = vocab.Count;
        }

        if (includeEndOfText)
        {
            vocab["<|endoftext|>"] = EndOfText;
        }

        return vocab;
    }

    public static void WriteVocabAndMerges(TempFolder folder)
    {
        folder.Write("vocab.json", JsonSerializer.Serialize(Vocabulary()));
        folder.Write("merges.txt", "#version: 0.2\n" + string.Join("\n", Merges) + "\n");
        folder.Write("tokenizer_config.json", """{"bos_token": "<|endoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>"}""");
    }

    public static string TokenizerJson(Dictionary<string, int> vocab, IEnumerable<string> merges, object preTokenizer, object[] addedTokens, bool mergesAsPairs, object? postProcessor = null)
    {
        object[] mergeEntries = mergesAsPairs
            ? [.. merges.Select(merge => (object)merge.Split(' '))]
            : [.. merges.Cast<object>()];
        var document = new Dictionary<string, object?>
        {
            ["version"] = "1.0",
            ["added_tokens"] = addedTokens,
            ["normalizer"] = null,
            ["pre_tokenizer"] = preTokenizer,
            ["post_processor"] = postProcessor,
            ["decoder"] = new { type = "ByteLevel", add_prefix_space = true, trim_offsets = true, use_regex = true },
            ["model"] = new { type = "BPE", dropout = (object?)null, unk_token = (string?)null, vocab, merges = mergeEntries },
        };
        return JsonSerializer.Serialize(document);
    }

    public static object AddedToken(int id, string content, bool special = true) =>
        new { id, content, single_word = false, lstrip = false, rstrip = false, normalized = false, special };

    public static object Gpt2PreTokenizer => new { type = "ByteLevel", add_prefix_space = false, trim_offsets = true, use_regex = true };

    public static string Utf8(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
}
