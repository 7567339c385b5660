using System.Text.RegularExpressions;
using Medley.Sdk;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Ensemble.Router;

/// <summary>
/// Sends each request to one member (role <c>member</c>), chosen by <c>mode</c>: <c>rules</c> (regex or keywords,
/// first match wins, else <c>default</c>), <c>embedding</c> (nearest per-member <c>profile</c> by cosine similarity)
/// or <c>judge</c> (a <c>judge</c> member names the member). With <c>threshold</c>, or <c>calibration</c> and
/// <c>strong_share</c>, routing is two-tier between members marked <c>tier: strong</c> and <c>tier: weak</c>.
/// Counters: <c>routed_to.&lt;member&gt;</c>, <c>score_mean</c>, <c>scored_requests</c>, <c>fallbacks</c>,
/// <c>judge_calls</c>, <c>judge_failures</c>, <c>judge_unparsed</c>.
/// </summary>
[MedleyStrategy("router")]
public sealed class RouterStrategy : IResponseStrategy
{
    private static readonly TimeSpan s_matchTimeout = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public IChatClient CreateClient(ResponseStrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = context.Parameters;
        var members = context.Members.Where(m => m.Role == "member").Select(ReadMember).ToList();
        if (members.Count == 0)
        {
            throw new MedleyException("strategy.members", "The router needs at least one member with role 'member'; the run config names none.");
        }

        var names = members.Select(m => m.Name).ToList();
        var defaultMember = parameters.GetString("default", null) ?? names[0];
        CheckMember(names, defaultMember, "Parameter 'default'");
        var mode = parameters.GetString("mode", "rules");
        if (mode == "rules" && (parameters.Contains("threshold") || parameters.Contains("calibration")))
        {
            throw new MedleyException("parameter.invalid", "Two-tier routing ('threshold' or 'calibration') needs mode \"embedding\" or \"judge\", which give a score; mode \"rules\" gives none.");
        }

        var threshold = TwoTierThreshold(parameters, members);
        var logger = context.LoggerFactory.CreateLogger<RouterStrategy>();
        IRouteSelector selector = mode switch
        {
            "rules" => new RuleRouter(ReadRules(parameters, names), defaultMember),
            "embedding" => new EmbeddingRouter(WithProfiles(members), context.EmbeddingGenerator ?? new HashedNgramEmbeddingGenerator(), threshold),
            "judge" => new JudgeRouter(
                Judge(context),
                parameters.GetString("judge_prompt", null) ?? (threshold is null ? JudgeRouter.NamingTemplate : JudgeRouter.ScoringTemplate),
                members,
                defaultMember,
                threshold,
                context.Counters,
                logger),
            var other => throw new MedleyException("parameter.invalid", $"Parameter 'mode' is \"{other}\": expected \"rules\", \"embedding\" or \"judge\"."),
        };
        return new RoutingChatClient(selector, members, defaultMember, context.Counters, logger);
    }

    private static RouterMember ReadMember(ResponseMember member)
    {
        var tier = member.Parameters.GetString("tier", null) switch
        {
            null => MemberTier.None,
            "strong" => MemberTier.Strong,
            "weak" => MemberTier.Weak,
            var other => throw new MedleyException("parameter.invalid", $"Member '{member.Name}': parameter 'tier' is \"{other}\": expected \"strong\" or \"weak\"."),
        };
        var profile = member.Parameters.Get<List<string>>("profile") ?? [];
        return new RouterMember(member, tier, profile, member.Parameters.GetString("description", null));
    }

    private static void CheckMember(List<string> names, string name, string where)
    {
        if (!names.Contains(name, StringComparer.Ordinal))
        {
            throw new MedleyException("parameter.invalid", $"{where} names member '{name}', which is not a member of this run: expected one of {string.Join(", ", names.Select(n => $"'{n}'"))}.");
        }
    }

    private static double? TwoTierThreshold(StrategyParameters parameters, List<RouterMember> members)
    {
        var given = parameters.Contains("threshold");
        var calibration = parameters.GetString("calibration", null);
        if (given && calibration is not null)
        {
            throw new MedleyException("parameter.invalid", "Parameters 'threshold' and 'calibration' are both given: expected one, the threshold itself or a calibration file to compute it from.");
        }

        if (!given && calibration is null)
        {
            return null;
        }

        var untiered = members.Where(m => m.Tier == MemberTier.None).Select(m => $"'{m.Name}'").ToList();
        if (untiered.Count > 0 || !members.Any(m => m.Tier == MemberTier.Strong) || !members.Any(m => m.Tier == MemberTier.Weak))
        {
            throw new MedleyException(
                "parameter.invalid",
                $"Two-tier routing needs every member marked 'tier: strong' or 'tier: weak', with at least one of each{(untiered.Count > 0 ? $"; unmarked: {string.Join(", ", untiered)}" : string.Empty)}.");
        }

        if (given)
        {
            return parameters.GetRequiredDouble("threshold");
        }

        if (!parameters.Contains("strong_share"))
        {
            throw new MedleyException("parameter.missing", "Parameter 'strong_share' is required with 'calibration': expected the share of requests (0 to 1) meant for the strong tier.");
        }

        return RouterCalibration.Threshold(RouterCalibration.ReadScores(calibration!), parameters.GetRequiredDouble("strong_share"));
    }

    private static List<RoutingRule> ReadRules(StrategyParameters parameters, List<string> names)
    {
        var configs = parameters.Get<List<RuleConfig>>("rules") ?? [];
        var rules = new List<RoutingRule>();
        for (var i = 0; i < configs.Count; i++)
        {
            var config = configs[i];
            var where = $"Rule {i + 1} of parameter 'rules'";
            if (config.Member is null)
            {
                throw new MedleyException("parameter.missing", $"{where} has no 'member': expected the name of the member that answers when the rule matches.");
            }

            CheckMember(names, config.Member, where);
            var keywords = (config.Keywords ?? []).Where(k => k.Length > 0).ToList();
            if (config.Pattern is null && keywords.Count == 0)
            {
                throw new MedleyException("parameter.missing", $"{where} has neither 'pattern' nor 'keywords': expected a regular expression or a list of keywords.");
            }

            rules.Add(new RoutingRule(config.Pattern is null ? null : Compile(config.Pattern, where), keywords, config.Member));
        }

        return rules;
    }

    private static Regex Compile(string pattern, string where)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, s_matchTimeout);
        }
        catch (ArgumentException error)
        {
            throw new MedleyException("parameter.invalid", $"{where}: 'pattern' (\"{pattern}\") is not a valid regular expression: {error.Message}");
        }
    }

    private static List<RouterMember> WithProfiles(List<RouterMember> members)
    {
        var missing = members.Where(m => m.Profile.Count == 0).Select(m => $"'{m.Name}'").ToList();
        return missing.Count == 0
            ? members
            : throw new MedleyException("parameter.missing", $"Mode \"embedding\" needs a non-empty per-member 'profile' (example texts) for every member; missing for {string.Join(", ", missing)}.");
    }

    private static IChatClient Judge(ResponseStrategyContext context) =>
        context.Members.FirstOrDefault(m => m.Role == "judge")?.Client
        ?? throw new MedleyException("strategy.members", "Mode \"judge\" needs a member with role 'judge'; the run config names none.");
}
