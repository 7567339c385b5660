namespace Medley.Sdk.Decoding;

/// <summary>Finding the members that play a strategy's roles, with the errors every strategy would otherwise repeat.</summary>
public static class DecodingMembers
{
    /// <summary>The index of the one member playing <paramref name="role"/>.</summary>
    /// <param name="members">The request's members.</param>
    /// <param name="role">The role.</param>
    /// <param name="strategy">The strategy's name, the prefix of the error codes (<c>{strategy}.role.missing</c>, <c>{strategy}.role.repeated</c>).</param>
    /// <param name="displayName">How messages name the strategy (e.g. <c>Contrastive decoding</c>).</param>
    /// <returns>The member's index.</returns>
    /// <exception cref="MedleyException">No member, or more than one, plays the role.</exception>
    public static int IndexOfSingle(IReadOnlyList<DecodingMember> members, string role, string strategy, string displayName)
    {
        ArgumentNullException.ThrowIfNull(members);
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
                    $"{strategy}.role.repeated",
                    $"{displayName} takes one '{role}' model, but '{members[found].Name}' and '{members[i].Name}' both play it.");
            }

            found = i;
        }

        return found >= 0
            ? found
            : throw new MedleyException(
                $"{strategy}.role.missing",
                $"{displayName} needs a model in role '{role}'; the run gives: {Describe(members)}.");
    }

    private static string Describe(IReadOnlyList<DecodingMember> members) =>
        members.Count == 0 ? "no models" : string.Join(", ", members.Select(m => $"'{m.Name}' as '{m.Role}'"));
}
