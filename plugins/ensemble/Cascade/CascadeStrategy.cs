using System.Globalization;
using Medley.Ensemble.Vote;
using Medley.Sdk;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Ensemble.Cascade;

/// <summary>
/// FrugalGPT/AutoMix cascade over the members (role <c>member</c>), cheapest first (per-member <c>cost</c>, else
/// <c>tier</c> weak before strong, else run-config order): each answer is scored by <c>scorer</c> (<c>logprob</c>,
/// <c>agreement</c> or <c>verify</c>) and accepted or escalated; the last member's answer is always accepted.
/// Counters: <c>escalations</c>, <c>answered_by.&lt;member&gt;</c>, <c>tier_calls.&lt;tier or level&gt;</c>,
/// <c>member_calls</c>, <c>verifier_calls</c>, <c>failed_members</c>, <c>verifier_failures</c>, <c>fallbacks</c>.
/// </summary>
[MedleyStrategy("cascade")]
public sealed class CascadeStrategy : IResponseStrategy
{
    /// <summary>Samples per member for scorer <c>agreement</c> when <c>samples</c> is not given.</summary>
    public const int DefaultSamples = 3;

    /// <summary>Sampling temperature for agreement samples and repeated verifications.</summary>
    public const double DefaultTemperature = 0.7;

    /// <summary>Accepting share of the majority answer for scorer <c>agreement</c>.</summary>
    public const double DefaultAgreementThreshold = 0.6;

    /// <summary>Accepting share of "yes" for scorer <c>verify</c>.</summary>
    public const double DefaultVerifyThreshold = 0.5;

    /// <inheritdoc />
    public IChatClient CreateClient(ResponseStrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = context.Parameters;
        var members = CascadeOrder.Arrange(context.Members.Where(m => m.Role == "member").ToList());
        var logger = context.LoggerFactory.CreateLogger<CascadeStrategy>();
        var temperature = parameters.GetDouble("temperature", DefaultTemperature);
        if (temperature < 0)
        {
            throw new MedleyException("parameter.invalid", string.Create(CultureInfo.InvariantCulture, $"Parameter 'temperature' is {temperature}: expected 0 or more."));
        }

        IAnswerScorer scorer = parameters.GetString("scorer", "agreement") switch
        {
            "logprob" => new LogProbabilityScorer(parameters.Contains("threshold")
                ? parameters.GetRequiredDouble("threshold")
                : throw new MedleyException("parameter.missing", "Parameter 'threshold' is required with scorer \"logprob\": expected the lowest mean token log-probability (≤ 0) to accept, e.g. -0.3.")),
            "agreement" => new AgreementScorer(
                Extractor(parameters),
                AtLeastOne(parameters, "samples", DefaultSamples),
                temperature,
                Share(parameters, DefaultAgreementThreshold)),
            "verify" => new VerificationScorer(
                Verifier(context),
                parameters.GetString("verify_prompt", null) ?? VerificationScorer.DefaultTemplate,
                AtLeastOne(parameters, "verifications", 1),
                temperature,
                Share(parameters, DefaultVerifyThreshold),
                context.Counters,
                logger),
            var other => throw new MedleyException("parameter.invalid", $"Parameter 'scorer' is \"{other}\": expected \"logprob\", \"agreement\" or \"verify\"."),
        };
        return new CascadeChatClient(members, scorer, context.Counters, logger);
    }

    private static AnswerExtractor Extractor(StrategyParameters parameters)
    {
        var extraction = parameters.GetString("extraction", "exact") switch
        {
            "exact" => AnswerExtraction.Exact,
            "last_number" => AnswerExtraction.LastNumber,
            "regex" => AnswerExtraction.Regex,
            var other => throw new MedleyException("parameter.invalid", $"Parameter 'extraction' is \"{other}\": expected \"exact\", \"last_number\" or \"regex\"."),
        };
        return new AnswerExtractor(extraction, parameters.GetString("pattern", null));
    }

    private static CascadeMember? Verifier(ResponseStrategyContext context) =>
        context.Members.FirstOrDefault(m => m.Role == "verifier") is { } verifier ? new CascadeMember(verifier, "verifier") : null;

    private static int AtLeastOne(StrategyParameters parameters, string name, int defaultValue)
    {
        var value = parameters.GetInt32(name, defaultValue);
        return value >= 1
            ? value
            : throw new MedleyException("parameter.invalid", $"Parameter '{name}' is {value}: expected an integer of at least 1.");
    }

    private static double Share(StrategyParameters parameters, double defaultValue)
    {
        var value = parameters.GetDouble("threshold", defaultValue);
        return value is >= 0 and <= 1
            ? value
            : throw new MedleyException("parameter.invalid", string.Create(CultureInfo.InvariantCulture, $"Parameter 'threshold' is {value}: expected a share between 0 and 1 for this scorer."));
    }
}
