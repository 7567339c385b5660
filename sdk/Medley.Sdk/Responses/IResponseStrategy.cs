using Microsoft.Extensions.AI;

namespace Medley.Sdk.Responses;

/// <summary>
/// A strategy over whole responses of chat members (routing, cascades, voting, MBR, pairwise ranking,
/// mixture-of-agents). The ensemble is itself an <see cref="IChatClient"/>, so it plugs into any
/// Microsoft.Extensions.AI pipeline.
/// </summary>
public interface IResponseStrategy : IMedleyStrategy
{
    /// <summary>Builds the ensemble's chat client.</summary>
    /// <param name="context">Members and parameters.</param>
    /// <returns>A chat client; disposing it does not dispose the members.</returns>
    IChatClient CreateClient(ResponseStrategyContext context);
}
