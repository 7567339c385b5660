using Medley.Sdk;
using Medley.Sdk.Decoding;

namespace Medley.Cooperation.Contrastive;

/// <summary>Finds the member that plays a role.</summary>
internal static class MemberRoles
{
    /// <summary>The index of the one member in <paramref name="role"/>.</summary>
    public static int IndexOf(IReadOnlyList<DecodingMember> members, string role)
    {
        var found = -1;
        for (var i = 0; i < members.Count; i++)
        {
            if (!string.Equals(members[i].Role, role, StringComparison.Ordinal))
            {
                continue;
            }

            if (found >= 0)
            {
                throw new MedleyException(
                    "contrastive.role.repeated",
                    $"Contrastive decoding takes one '{role}' model, but '{members[found].Name}' and '{members[i].Name}' both play it.");
            }

            found = i;
        }

        return found >= 0
            ? found
            : throw new MedleyException(
                "contrastive.role.missing",
                $"Contrastive decoding needs a model in role '{role}'; the run gives: {Describe(members)}.");
    }

    private static string Describe(IReadOnlyList<DecodingMember> members) =>
        members.Count == 0 ? "no models" : string.Join(", ", members.Select(m => $"'{m.Name}' as '{m.Role}'"));
}
