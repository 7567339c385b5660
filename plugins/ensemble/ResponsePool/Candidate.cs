using Microsoft.Extensions.AI;

namespace Medley.Ensemble.Responses;

/// <summary>One member's answer to one request, in pool order (run-config member order, then sample index).</summary>
/// <param name="MemberName">The member that answered.</param>
/// <param name="Sample">Which of that member's samples (0-based).</param>
/// <param name="Response">The full response.</param>
internal sealed record Candidate(string MemberName, int Sample, ChatResponse Response)
{
    public string Text => Response.Text;
}
