using System.Text;
using CsCheck;
using Medley.Ensemble.UnionVocab;

namespace Medley.UnionVocab.Tests;

public sealed class PropertyTests(TinyMembers members) : IClassFixture<TinyMembers>
{
    [Fact]
    public void Any_text_written_in_the_byte_level_alphabet_normalises_back_to_itself()
    {
        var alphabet = ByteLevelFixture.ByteCharacters();
        var byteToChar = new char[256];
        var printableFirst = Enumerable.Range(0, 256).Select(b => (byte)b).OrderBy(b => Rank(b)).ToArray();
        for (var i = 0; i < 256; i++)
        {
            byteToChar[printableFirst[i]] = alphabet[i];
        }

        Gen.String.Sample(text =>
        {
            var valid = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
            var written = new string([.. Encoding.UTF8.GetBytes(valid).Select(b => byteToChar[b])]);
            Assert.Equal(valid, MemberVocabulary.Normalise(written, TokenTextScheme.ByteLevel));
        }, iter: 500);

        // The fixture lists printable bytes first (in byte order), then the others: the same order as its alphabet.
        static int Rank(byte b) => (b is >= (byte)'!' and <= (byte)'~' or >= 0xA1 and <= 0xAC or >= 0xAE) ? b : 1000 + b;
    }

    [Fact]
    public void With_a_shared_vocabulary_every_candidate_gets_the_weighted_average_of_the_members_probabilities()
    {
        var vocabulary = new MemberVocabulary(members.CharacterTokenizer, members.CharacterTokenizer.VocabularySize);
        var width = vocabulary.Width;
        Gen.Select(Gen.Double[0.01, 1].Array[width], Gen.Double[0.01, 1].Array[width], Gen.Double[0, 5], Gen.Int[1, width])
            .Sample((a, b, weight, topK) =>
            {
                var p = Normalised(a);
                var q = Normalised(b);
                var share = weight / (weight + 1);
                var union = CandidateUnion.Build([vocabulary, vocabulary], [share, 1 - share], [p, q], topK);

                var expectedIds = TopIds(p, topK).Union(TopIds(q, topK)).ToHashSet();
                Assert.Equal(expectedIds.Count, union.Texts.Count);
                for (var c = 0; c < union.Texts.Count; c++)
                {
                    var id = union.Texts[c] is { } text ? TinyMembers.Characters.ToList().IndexOf(text) : TinyMembers.CharacterEos;
                    Assert.Contains(id, expectedIds);
                    Assert.Equal(share * p[id] + (1 - share) * q[id], union.Probabilities[c], 12);
                }
            }, iter: 100);
    }

    private static double[] Normalised(double[] values)
    {
        var sum = values.Sum();
        return [.. values.Select(v => v / sum)];
    }

    private static IEnumerable<int> TopIds(double[] p, int k) => Enumerable.Range(0, p.Length).OrderByDescending(i => p[i]).ThenBy(i => i).Take(k);
}
