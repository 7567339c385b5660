using Microsoft.Extensions.AI;

namespace Medley.Ensemble.Router;

/// <summary>
/// Nearest profile: the question's embedding is compared (cosine) with the centroid of each member's profile
/// examples. Without a threshold the most similar member answers (score: its similarity; ties go to the earlier
/// member). With a two-tier threshold the score is the margin best-strong similarity − best-weak similarity, and the
/// best strong member answers when the score reaches the threshold, else the best weak member.
/// </summary>
internal sealed class EmbeddingRouter : IRouteSelector
{
    private readonly IReadOnlyList<RouterMember> _members;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly double? _threshold;
    private readonly Lock _gate = new();
    private Task<float[][]>? _centroids;

    public EmbeddingRouter(IReadOnlyList<RouterMember> members, IEmbeddingGenerator<string, Embedding<float>> generator, double? threshold)
    {
        _members = members;
        _generator = generator;
        _threshold = threshold;
    }

    public async Task<RouteDecision> SelectAsync(string question, CancellationToken cancellationToken)
    {
        var centroids = await CentroidsAsync(cancellationToken).ConfigureAwait(false);
        var embedded = await _generator.GenerateAsync([question], cancellationToken: cancellationToken).ConfigureAwait(false);
        var query = embedded[0].Vector;
        var similarities = centroids.Select(c => VectorMath.Cosine(query.Span, c)).ToArray();
        if (_threshold is not { } threshold)
        {
            var best = Best(similarities, _ => true);
            return new RouteDecision(_members[best].Name, similarities[best]);
        }

        var strong = Best(similarities, m => m.Tier == MemberTier.Strong);
        var weak = Best(similarities, m => m.Tier == MemberTier.Weak);
        var margin = similarities[strong] - similarities[weak];
        return new RouteDecision(_members[margin >= threshold ? strong : weak].Name, margin);
    }

    // Strict ">" keeps the earliest member among equals, so routing does not depend on dictionary or hash order.
    private int Best(double[] similarities, Func<RouterMember, bool> eligible)
    {
        var best = -1;
        for (var i = 0; i < _members.Count; i++)
        {
            if (eligible(_members[i]) && (best < 0 || similarities[i] > similarities[best]))
            {
                best = i;
            }
        }

        return best;
    }

    // Profiles are embedded once, on the first request; a failed attempt is forgotten so the next request retries.
    private Task<float[][]> CentroidsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_centroids is null || _centroids.IsFaulted || _centroids.IsCanceled)
            {
                _centroids = EmbedProfilesAsync(cancellationToken);
            }

            return _centroids;
        }
    }

    private async Task<float[][]> EmbedProfilesAsync(CancellationToken cancellationToken)
    {
        var centroids = new float[_members.Count][];
        for (var i = 0; i < _members.Count; i++)
        {
            var embedded = await _generator.GenerateAsync(_members[i].Profile, cancellationToken: cancellationToken).ConfigureAwait(false);
            centroids[i] = VectorMath.Centroid(embedded.Select(e => e.Vector).ToList());
        }

        return centroids;
    }
}
