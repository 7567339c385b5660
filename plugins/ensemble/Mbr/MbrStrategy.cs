using Medley.Ensemble.Responses;
using Medley.Ensemble.Router;
using Medley.Sdk;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Ensemble.Mbr;

/// <summary>
/// Minimum-Bayes-risk selection over <c>samples</c> answers from each member, pooled: returns the candidate with the
/// highest mean utility (<c>chrf</c>, <c>rougeL</c> or embedding <c>cosine</c>) against all the other candidates. Counters:
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
        var utilityName = parameters.GetString("utility", "chrf");
        Func<string, string, double>? lexical = utilityName switch
        {
            "chrf" => ChrF.Score,
            "rougeL" => RougeL.Score,
            "cosine" => null,
            var other => throw new MedleyException("parameter.invalid", $"Parameter 'utility' is \"{other}\": expected \"chrf\", \"rougeL\" or \"cosine\"."),
        };

        // Without an embedding generator from the run, cosine uses the built-in hashed character n-gram embedding,
        // which measures surface overlap much as chrF does; a semantic generator is what makes cosine worth choosing.
        var embeddings = context.EmbeddingGenerator ?? new HashedNgramEmbeddingGenerator();
        var fanOut = new ResponseFanOut(
            context.Members.Where(m => m.Role == "member").ToList(),
            FanOutSettings.FromParameters(parameters),
            context.Counters,
            context.LoggerFactory.CreateLogger<MbrStrategy>());
        return new CandidateSelectingChatClient(fanOut, async (pool, cancellationToken) =>
        {
            var utility = lexical ?? await CosineUtility.CreateAsync(embeddings, pool.Select(c => c.Text).ToList(), cancellationToken).ConfigureAwait(false);
            return new MbrSelection(utility, context.Counters).Select(pool);
        });
    }
}
