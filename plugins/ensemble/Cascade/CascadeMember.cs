using Medley.Sdk.Responses;

namespace Medley.Ensemble.Cascade;

/// <summary>A member in cascade order, with the label its calls are counted under (its tier, else its 1-based level).</summary>
internal sealed record CascadeMember(ResponseMember Member, string TierLabel)
{
    public string Name => Member.Name;
}
