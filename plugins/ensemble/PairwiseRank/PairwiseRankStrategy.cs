using Medley.Ensemble.Responses;
using Medley.Sdk;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Ensemble.PairwiseRank;

/// <summary>
/// LLM-Blender-style pairwise ranking with an LLM judge: the members' answers (<c>samples</c> each, pooled in member
/// then sample order) are compared in pairs by the <c>judge</c> member, aggregated by <c>max_wins</c> or
/// <c>bubble</c>, and the best is returned; with <c>fuse_top_k</c> ≥ 2 the <c>fuser</c> member writes the final
/// answer from the top-K. Counters: <c>comparisons</c>, <c>judge_calls</c>, <c>tied_verdicts</c> (cumulative),
/// <c>winner_index</c> and <c>candidates</c> (of the last request), <c>dropped_members</c>, <c>member_calls</c>.
/// </summary>
[MedleyStrategy("pairwise-rank")]
public sealed class PairwiseRankStrategy : IResponseStrategy
{
    /// <inheritdoc />
    public IChatClient CreateClient(ResponseStrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = context.Parameters;
        var aggregation = parameters.GetString("aggregation", "max_wins") switch
        {
            "max_wins" => RankAggregation.MaxWins,
            "bubble" => RankAggregation.Bubble,
            var other => throw new MedleyException("parameter.invalid", $"Parameter 'aggregation' is \"{other}\": expected \"max_wins\" or \"bubble\"."),
        };
        var fanOutSettings = FanOutSettings.FromParameters(parameters);
        var judge = new PairwiseJudge(
            SingleMember(context.Members, "judge", required: true)!,
            PromptText.RequirePlaceholders(parameters.GetString("judge_prompt", null), "judge_prompt", PairwiseJudge.DefaultTemplate, "candidate_a", "candidate_b"),
            parameters.GetBoolean("both_orders", true),
            context.Counters);
        var fanOut = new ResponseFanOut(
            context.Members.Where(m => m.Role == "member").ToList(),
            fanOutSettings,
            context.Counters,
            context.LoggerFactory.CreateLogger<PairwiseRankStrategy>());
        return new PairwiseRankChatClient(
            fanOut,
            new PairwiseRanking(judge, aggregation, fanOutSettings.Concurrency),
            Fusion(context.Members, parameters),
            context.Counters);
    }

    private static TopKFusion? Fusion(IReadOnlyList<ResponseMember> members, StrategyParameters parameters)
    {
        var topK = parameters.GetInt32("fuse_top_k", 0);
        var fuser = SingleMember(members, "fuser", required: false);
        if (topK == 0)
        {
            return fuser is null
                ? null
                : throw new MedleyException("parameter.invalid", $"Member '{fuser.Name}' has role 'fuser' but parameter 'fuse_top_k' is 0 (no fusion): set 'fuse_top_k' to 2 or more, or remove the fuser.");
        }

        if (topK < 2)
        {
            throw new MedleyException("parameter.invalid", $"Parameter 'fuse_top_k' is {topK}: expected 0 (no fusion) or an integer of at least 2.");
        }

        return fuser is null
            ? throw new MedleyException("strategy.members", $"Parameter 'fuse_top_k' is {topK}, which needs a member with role 'fuser'; the run config names none.")
            : new TopKFusion(fuser, topK, PromptText.RequirePlaceholders(parameters.GetString("fusion_prompt", null), "fusion_prompt", TopKFusion.DefaultTemplate, "candidates"));
    }

    private static ResponseMember? SingleMember(IReadOnlyList<ResponseMember> members, string role, bool required)
    {
        var withRole = members.Where(m => m.Role == role).ToList();
        return withRole.Count switch
        {
            0 when required => throw new MedleyException("strategy.members", $"Strategy 'pairwise-rank' needs one member with role '{role}'; the run config names none."),
            0 => null,
            1 => withRole[0],
            _ => throw new MedleyException("strategy.members", $"Strategy 'pairwise-rank' takes one member with role '{role}', but the run config names {withRole.Count}: {string.Join(", ", withRole.Select(m => $"'{m.Name}'"))}."),
        };
    }
}
