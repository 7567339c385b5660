using Medley.Sdk.Models;

namespace Medley.Speculative.Tests;

public sealed class IncrementalTextDecoderTests
{
    [Fact]
    public void Multi_byte_characters_are_released_whole_once_their_last_byte_arrives()
    {
        const string Text = "héllo € 😀!";
        var tokenizer = new Utf8ByteTokenizer();
        var decoder = new IncrementalTextDecoder(tokenizer);

        var pieces = tokenizer.Encode(Text).Select(decoder.Add).ToList();

        Assert.DoesNotContain(pieces, p => p.Contains('\uFFFD', StringComparison.Ordinal));
        Assert.Equal(Text, string.Concat(pieces) + decoder.Flush());

        // 'h' is one byte; 'é' is two (C3 A9): nothing after its first byte, the whole character after its second.
        Assert.Equal(["h", string.Empty, "é"], pieces.Take(3));
    }
}
