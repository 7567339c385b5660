using System.Globalization;
using Medley.Sdk;

namespace Medley.Cooperation.Speculative;

/// <summary>The strategy's parameters, read and checked once per request.</summary>
internal sealed record SpeculativeSettings(int DraftTokens, DraftSchedule Schedule, int MaxDraftTokens, double ConfidenceThreshold)
{
    public const string DraftTokensParameter = "draft_tokens";
    public const string ScheduleParameter = "schedule";
    public const string MaxDraftTokensParameter = "max_draft_tokens";
    public const string ConfidenceThresholdParameter = "confidence_threshold";

    private const int DefaultDraftTokens = 4;

    // llama.cpp's --draft-max default: long enough for easy text, short enough to bound wasted drafting.
    private const int DefaultMaxDraftTokens = 16;

    // Hugging Face's starting value for dynamic speculation (assistant_confidence_threshold).
    private const double DefaultConfidenceThreshold = 0.4;

    /// <summary>Reads the parameters; the host has validated them against the schema, but a direct caller may not have.</summary>
    public static SpeculativeSettings Read(StrategyParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var draftTokens = parameters.GetInt32(DraftTokensParameter, DefaultDraftTokens);
        if (draftTokens < 1)
        {
            throw Invalid($"Parameter '{DraftTokensParameter}' is {draftTokens}: expected a whole number >= 1 (the tokens the draft proposes per round).");
        }

        var scheduleName = parameters.GetString(ScheduleParameter, "fixed");
        var schedule = scheduleName switch
        {
            "fixed" => DraftSchedule.Fixed,
            "heuristic" => DraftSchedule.Heuristic,
            "confidence" => DraftSchedule.Confidence,
            _ => throw Invalid($"Parameter '{ScheduleParameter}' is \"{scheduleName}\": expected \"fixed\", \"heuristic\" or \"confidence\"."),
        };

        var maxDraftTokens = parameters.GetInt32(MaxDraftTokensParameter, Math.Max(DefaultMaxDraftTokens, draftTokens));
        if (maxDraftTokens < draftTokens)
        {
            throw Invalid($"Parameter '{MaxDraftTokensParameter}' is {maxDraftTokens}: expected at least {DraftTokensParameter} ({draftTokens}).");
        }

        var threshold = parameters.GetDouble(ConfidenceThresholdParameter, DefaultConfidenceThreshold);
        if (!(threshold > 0 && threshold < 1))
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture,
                $"Parameter '{ConfidenceThresholdParameter}' is {threshold}: expected a probability strictly between 0 and 1."));
        }

        return new SpeculativeSettings(draftTokens, schedule, maxDraftTokens, threshold);
    }

    /// <summary>The next round's draft length under the schedule, after a round that drafted and accepted as given.</summary>
    public int NextDraftLength(int current, bool allAccepted) => Schedule == DraftSchedule.Heuristic
        ? Math.Clamp(allAccepted ? current + 2 : current - 1, 1, MaxDraftTokens)
        : current;

    private static MedleyException Invalid(string message) => new("parameter.invalid", message);
}
