using Medley.Sdk.Responses;

namespace Medley.Ensemble.Router;

/// <summary>A routable member with its per-member settings read once.</summary>
internal sealed record RouterMember(ResponseMember Member, MemberTier Tier, IReadOnlyList<string> Profile, string? Description)
{
    public string Name => Member.Name;
}
