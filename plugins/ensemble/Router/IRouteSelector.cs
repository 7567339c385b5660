using Microsoft.Extensions.AI;

namespace Medley.Ensemble.Router;

/// <summary>One routing mode: decides which member answers a request.</summary>
internal interface IRouteSelector
{
    Task<RouteDecision> SelectAsync(string question, CancellationToken cancellationToken);
}
