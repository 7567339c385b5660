namespace Medley.Ensemble.Router;

/// <summary>A member's side in two-tier (RouteLLM-style) routing.</summary>
internal enum MemberTier
{
    None,
    Weak,
    Strong,
}
