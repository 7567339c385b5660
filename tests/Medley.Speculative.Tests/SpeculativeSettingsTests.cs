using Medley.Cooperation.Speculative;
using Medley.Sdk;

namespace Medley.Speculative.Tests;

public sealed class SpeculativeSettingsTests
{
    [Fact]
    public void Absent_parameters_take_the_documented_defaults()
    {
        var settings = SpeculativeSettings.Read(StrategyParameters.Empty);

        Assert.Equal(new SpeculativeSettings(4, DraftSchedule.Fixed, 16, 0.4), settings);
    }

    [Fact]
    public void The_heuristic_schedule_adds_two_after_full_acceptance_and_drops_one_otherwise_within_bounds()
    {
        var settings = SpeculativeSettings.Read(StrategyParameters.FromJson("""{"draft_tokens": 4, "schedule": "heuristic", "max_draft_tokens": 8}"""));

        Assert.Equal(6, settings.NextDraftLength(4, allAccepted: true));
        Assert.Equal(8, settings.NextDraftLength(7, allAccepted: true));
        Assert.Equal(7, settings.NextDraftLength(8, allAccepted: false));
        Assert.Equal(1, settings.NextDraftLength(1, allAccepted: false));
    }

    [Theory]
    [InlineData("fixed")]
    [InlineData("confidence")]
    public void Other_schedules_keep_the_draft_length(string schedule)
    {
        var settings = SpeculativeSettings.Read(StrategyParameters.FromJson($$"""{"draft_tokens": 3, "schedule": "{{schedule}}"}"""));

        Assert.Equal(3, settings.NextDraftLength(3, allAccepted: true));
        Assert.Equal(3, settings.NextDraftLength(3, allAccepted: false));
    }
}
