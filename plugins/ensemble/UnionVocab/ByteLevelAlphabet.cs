namespace Medley.Ensemble.UnionVocab;

/// <summary>GPT-2's <c>bytes_to_unicode</c>: printable bytes stand for themselves, the rest for U+0100 onwards.</summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] ByteToChar = Build();
    private static readonly Dictionary<char, byte> CharToByte =
        Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    /// <summary>The 256 characters, indexed by byte.</summary>
    public static IReadOnlyList<char> Characters => ByteToChar;

    public static bool TryGetByte(char character, out byte value) => CharToByte.TryGetValue(character, out value);

    private static char[] Build()
    {
        static bool Printable(int b) => b is >= '!' and <= '~' or >= '¡' and <= '¬' or >= '®' and <= 'ÿ';

        var characters = new char[256];
        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            characters[b] = Printable(b) ? (char)b : (char)(256 + next++);
        }

        return characters;
    }
}
