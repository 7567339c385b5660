using Medley.Ensemble.UnionVocab;

namespace Medley.UnionVocab.Tests;

public sealed class MemberVocabularyTests(TinyMembers members) : IClassFixture<TinyMembers>
{
    [Theory]
    [InlineData("Ġwor", "ByteLevel", " wor")]
    [InlineData("ĊĠ", "ByteLevel", "\n ")]
    [InlineData("Ã©", "ByteLevel", "é")]
    [InlineData("Ã", "ByteLevel", null)]
    [InlineData("<|endoftext|>", "ByteLevel", "<|endoftext|>")]
    [InlineData("▁hello", "SentencePiece", " hello")]
    [InlineData("<0x41>", "SentencePiece", "A")]
    [InlineData("<0xC3>", "SentencePiece", null)]
    [InlineData("Ġ▁x", "Plain", "Ġ▁x")]
    public void Token_strings_normalise_to_plain_text(string token, string scheme, string? expected) =>
        Assert.Equal(expected, MemberVocabulary.Normalise(token, Enum.Parse<TokenTextScheme>(scheme)));

    [Fact]
    public void Schemes_are_recognised_from_the_vocabulary()
    {
        var byteLevel = new MemberVocabulary(members.ByteLevelTokenizer, members.ByteLevelTokenizer.VocabularySize);
        var character = new MemberVocabulary(members.CharacterTokenizer, members.CharacterTokenizer.VocabularySize);
        Assert.Equal(TokenTextScheme.ByteLevel, byteLevel.Scheme);
        Assert.Equal(TokenTextScheme.Plain, character.Scheme);
        Assert.Equal([ByteLevelFixture.EndOfText], byteLevel.EosIds);
        Assert.Null(byteLevel.TextOf(ByteLevelFixture.EndOfText));
        Assert.Null(byteLevel.TextOf(ByteLevelFixture.Vocabulary()["Ã"]));
        Assert.Equal(" wor", byteLevel.TextOf(ByteLevelFixture.Vocabulary()["Ġwor"]));
        Assert.Equal([ByteLevelFixture.Vocabulary()["Ġw"]], byteLevel.IdsSpelling(" w"));
    }

    [Fact]
    public void A_member_without_the_text_as_one_token_is_scored_by_the_first_token_of_its_tokenization()
    {
        var byteLevel = new MemberVocabulary(members.ByteLevelTokenizer, members.ByteLevelTokenizer.VocabularySize);
        var character = new MemberVocabulary(members.CharacterTokenizer, members.CharacterTokenizer.VocabularySize);
        Assert.True(byteLevel.TryGetFirstToken(" world", out var first));
        Assert.Equal(ByteLevelFixture.Vocabulary()["Ġwor"], first);
        Assert.True(character.TryGetFirstToken("hello", out first));
        Assert.Equal('h' - 32, first);
        Assert.False(character.TryGetFirstToken("\u0008", out _));
    }

    [Fact]
    public void SentencePiece_pieces_read_as_text_and_a_leading_marker_added_by_encoding_is_not_taken_for_the_text()
    {
        var vocabulary = new MemberVocabulary(members.SentencePieceTokenizer, members.SentencePieceTokenizer.VocabularySize);
        Assert.Equal(TokenTextScheme.SentencePiece, vocabulary.Scheme);
        Assert.Equal(" hello", vocabulary.TextOf(7));
        Assert.Equal("hello", vocabulary.TextOf(6));
        Assert.Null(vocabulary.TextOf(0)); // <unk>
        Assert.Equal([2], vocabulary.EosIds);

        // Encoding " world" on its own starts with ▁wor, which spells its beginning.
        Assert.True(vocabulary.TryGetFirstToken(" world", out var first));
        Assert.Equal(10, first);

        // Encoding "world" on its own also starts with ▁wor (the dummy prefix), which does not spell "world": inside
        // a text the piece would start with "w".
        Assert.Equal(10, members.SentencePieceTokenizer.Encode("world")[0]);
        Assert.True(vocabulary.TryGetFirstToken("world", out first));
        Assert.Equal(16, first);
    }

    [Fact]
    public void Union_averages_ranked_probabilities_and_first_token_probabilities_of_unranked_candidates()
    {
        var vocabulary = ByteLevelFixture.Vocabulary();
        var byteLevel = new MemberVocabulary(members.ByteLevelTokenizer, members.ByteLevelTokenizer.VocabularySize);
        var character = new MemberVocabulary(members.CharacterTokenizer, members.CharacterTokenizer.VocabularySize);
        var pByte = new double[byteLevel.Width];
        pByte[vocabulary["Ġwor"]] = 0.5;
        pByte[vocabulary["h"]] = 0.3;
        pByte[vocabulary["Ã"]] = 0.15; // a byte fragment: never a candidate
        pByte[ByteLevelFixture.EndOfText] = 0.05;
        var pChar = new double[character.Width];
        pChar[0] = 0.4; // " "
        pChar['h' - 32] = 0.35;
        pChar['e' - 32] = 0.15;
        pChar[TinyMembers.CharacterEos] = 0.1;

        var union = CandidateUnion.Build([byteLevel, character], [0.25, 0.75], [pByte, pChar], topK: 2);

        // Byte-level top-2: " wor", "h"; character top-2: " ", "h". Each candidate, by hand:
        //   " wor": 0.25·0.5  + 0.75·p(" ")=0.4  = 0.425   (the character member's first token is " ")
        //   "h":    0.25·0.3  + 0.75·0.35        = 0.3375
        //   " ":    0.25·0    + 0.75·0.4         = 0.3      (the byte-level "Ġ" has probability 0)
        Assert.Equal([" wor", "h", " "], union.Texts);
        Assert.Equal([0.425, 0.3375, 0.3], union.Probabilities.Select(p => Math.Round(p, 12)));
        Assert.Equal(3, union.WritableCount);

        var withEos = CandidateUnion.Build([byteLevel, character], [0.5, 0.5], [pByte, pChar], topK: 3);
        // Top-3 adds the byte-level end of sequence and the character "e"; the character member was not ranking its
        // end of sequence but still gives it 0.1: 0.5·0.05 + 0.5·0.1 = 0.075; "e": 0.5·0 + 0.5·0.15 = 0.075.
        Assert.Equal([" wor", "h", null, " ", "e"], withEos.Texts);
        Assert.Equal([0.45, 0.325, 0.075, 0.2, 0.075], withEos.Probabilities.Select(p => Math.Round(p, 12)));
        Assert.Equal(MathF.Log(0.45f), withEos.Scores()[0], 5);
    }
}
