using Medley.Host.Sampling;
using Medley.Sdk;

namespace Medley.Tokenization.Tests;

public sealed class StopStringMatcherTests
{
    private static (string Emitted, bool Stopped) Feed(StopStringMatcher matcher, params string[] chunks)
    {
        var emitted = string.Empty;
        foreach (var chunk in chunks)
        {
            var result = matcher.Append(chunk);
            emitted += result.Text;
            if (result.Stopped)
            {
                return (emitted, true);
            }
        }

        return (emitted + matcher.Flush(), false);
    }

    [Fact]
    public void Text_without_stop_prefixes_is_emitted_at_once()
    {
        var matcher = new StopStringMatcher(["STOP"]);

        Assert.Equal(new StopStringResult("hello ", false), matcher.Append("hello "));
        Assert.Equal(string.Empty, matcher.HeldText);
    }

    [Fact]
    public void Stop_split_across_chunks_is_held_then_cut()
    {
        var matcher = new StopStringMatcher(["</answer>"]);

        Assert.Equal(new StopStringResult("42", false), matcher.Append("42</"));
        Assert.Equal("</", matcher.HeldText);
        Assert.Equal(new StopStringResult(string.Empty, false), matcher.Append("ans"));
        Assert.Equal(new StopStringResult(string.Empty, true), matcher.Append("wer> and more"));
        Assert.True(matcher.Stopped);
        Assert.Equal(new StopStringResult(string.Empty, true), matcher.Append("ignored"));
        Assert.Equal(string.Empty, matcher.Flush());
    }

    [Fact]
    public void Held_text_that_stops_matching_is_released()
    {
        var matcher = new StopStringMatcher(["</answer>"]);

        Assert.Equal("a", matcher.Append("a</an").Text);
        Assert.Equal(new StopStringResult("</and so", false), matcher.Append("d so"));
        Assert.Equal(string.Empty, matcher.HeldText);
    }

    [Fact]
    public void Text_before_the_stop_in_the_same_chunk_is_emitted()
    {
        Assert.Equal(("The end.", true), Feed(new StopStringMatcher(["\n\n"]), "The end.\n\nNext question"));
    }

    [Fact]
    public void Overlapping_prefix_inside_a_partial_match_is_found()
    {
        // "aab" must be caught in "aaab" although the first "aa" does not continue with "b".
        Assert.Equal(("xa", true), Feed(new StopStringMatcher(["aab"]), "x", "a", "a", "a", "b", "tail"));
        Assert.Equal(("ab", true), Feed(new StopStringMatcher(["abab c"]), "ab", "ab", "ab c"));
    }

    [Fact]
    public void Earliest_stop_wins_among_several()
    {
        Assert.Equal(("one ", true), Feed(new StopStringMatcher(["three", "two", "o t"]), "one two three"));
        Assert.Equal(("", true), Feed(new StopStringMatcher(["User:", "Use"]), "Use", "r: hi"));
    }

    [Fact]
    public void Longest_possible_prefix_is_held_across_stop_strings()
    {
        var matcher = new StopStringMatcher(["xyq", "yzw"]);

        Assert.Equal("a", matcher.Append("axy").Text);
        Assert.Equal("xy", matcher.HeldText);
        Assert.Equal(new StopStringResult("x", true), matcher.Append("zw"));
    }

    [Fact]
    public void Flush_releases_a_trailing_partial_match_when_generation_ends()
    {
        Assert.Equal(("done </ans", false), Feed(new StopStringMatcher(["</answer>"]), "done </", "ans"));
    }

    [Fact]
    public void No_stop_strings_hold_nothing()
    {
        var matcher = new StopStringMatcher([]);

        Assert.Equal(new StopStringResult("anything", false), matcher.Append("anything"));
    }

    [Fact]
    public void Empty_stop_string_is_rejected()
    {
        var error = Assert.Throws<MedleyException>(() => new StopStringMatcher(["ok", ""]));

        Assert.Equal(SamplingErrorCodes.StopStringEmpty, error.Code);
        Assert.Contains("Stop string 1", error.Message, StringComparison.Ordinal);
    }
}
