using Medley.Ensemble.Responses;
using Medley.Sdk;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Ensemble.Mbr;

/// <summary>
/// Minimum-Bayes-risk selection over <c>samples</c> answers from each member, pooled: returns the candidate with the
/// highest mean utility (<c>chrf</c> or <c>rougeL</c>) against all the other candidates. Counters:
/// <c>candidates</c> and <c>winner_mean_utility</c> (of the last request), <c>dropped_members</c>, <c>member_calls</c>.
/// </summary>
[MedleyStrategy("mbr")]
public sealed class MbrStrategy : IResponseStrategy
{
    /// <inheritdoc />
    public IChatClient CreateClient(ResponseStrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = context.Parameters;
        Func<string, string, double> utility = parameters.GetString("utility", "chrf") switch
        {
            "chrf" => ChrF.Score,
            "rougeL" => RougeL.Score,
            var other => throw new MedleyException("parameter.invalid", $"Parameter 'utility' is \"{other}\": expected \"chrf\" or \"rougeL\"."),
        };
        var selection = new MbrSelection(utility, context.Counters);
        var fanOut = new ResponseFanOut(
            context.Members.Where(m => m.Role == "member").ToList(),
            FanOutSettings.FromParameters(parameters),
            context.Counters,
            context.LoggerFactory.CreateLogger<MbrStrategy>());
        return new CandidateSelectingChatClient(fanOut, selection.Select);
    }
}
