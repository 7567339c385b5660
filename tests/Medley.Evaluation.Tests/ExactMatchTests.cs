using CsCheck;
using Medley.Host.Evaluation;

namespace Medley.Evaluation.Tests;

/// <summary>Exact match after trimming, and the early "can this still match?" decision.</summary>
public sealed class ExactMatchTests
{
    [Theory]
    [InlineData("357", "357", true)]
    [InlineData("357", " 357\n", true)]
    [InlineData(" 357 ", "357", true)]
    [InlineData("357", "3 57", false)]
    [InlineData("357", "35", false)]
    [InlineData("357", "3570", false)]
    [InlineData("abc", "ABC", false)]
    public void Matches_compares_trimmed_text_exactly(string answer, string text, bool expected) =>
        Assert.Equal(expected, new ExactMatch(answer).Matches(text));

    [Theory]
    [InlineData("357", "", true)]
    [InlineData("357", "  ", true)]
    [InlineData("357", " 3", true)]
    [InlineData("357", "35", true)]
    [InlineData("357", "357", true)]
    [InlineData("357", "357 \n", true)]
    [InlineData("357", "4", false)]
    [InlineData("357", "36", false)]
    [InlineData("357", "3570", false)]
    [InlineData("357", "357 x", false)]
    [InlineData("357", "3 5", false)]
    public void Could_still_match_until_the_first_character_that_rules_it_out(string answer, string textSoFar, bool expected) =>
        Assert.Equal(expected, new ExactMatch(answer).CouldStillMatch(textSoFar));

    [Fact]
    public void Every_prefix_of_a_matching_text_could_still_match_and_a_changed_character_cannot()
    {
        var gen =
            from answer in Gen.String[Gen.Char["abc123+"], 1, 12]
            from lead in Gen.String[Gen.Char[" \n\t"], 0, 3]
            from trail in Gen.String[Gen.Char[" \n\t"], 0, 3]
            from position in Gen.Int[0, 11]
            select (answer, lead, trail, position % answer.Length);
        gen.Sample(sample =>
        {
            var (answer, lead, trail, position) = sample;
            var match = new ExactMatch(answer);
            var text = lead + answer + trail;
            Assert.True(match.Matches(text));
            for (var length = 0; length <= text.Length; length++)
            {
                Assert.True(match.CouldStillMatch(text[..length]));
            }

            var changed = answer[..position] + (answer[position] == 'x' ? 'y' : 'x') + answer[(position + 1)..];
            Assert.False(match.CouldStillMatch(lead + changed));
            Assert.False(match.Matches(lead + changed + trail));
        });
    }
}
