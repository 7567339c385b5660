using Medley.Sdk.Decoding;
using Medley.Sdk.Merging;
using Medley.Sdk.Providers;
using Medley.Sdk.Responses;

namespace Medley.Sdk;

/// <summary>Maps strategy kinds to their manifest spelling and to the contract a strategy of that kind implements.</summary>
public static class StrategyKinds
{
    private static readonly (StrategyKind Kind, string Name, Type Contract)[] Table =
    [
        (StrategyKind.Merge, "merge", typeof(IMergeMethod)),
        (StrategyKind.Step, "step", typeof(IStepCombiner)),
        (StrategyKind.Decoding, "decoding", typeof(IDecodingStrategy)),
        (StrategyKind.Response, "response", typeof(IResponseStrategy)),
        (StrategyKind.Provider, "provider", typeof(IExecutionProvider)),
    ];

    /// <summary>Every kind's manifest spelling, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.ConvertAll(Table, row => row.Name);

    /// <summary>The spelling used in manifests and on the command line (<c>merge</c>, <c>step</c>, …).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The lower-case name.</returns>
    public static string ToName(StrategyKind kind) => Array.Find(Table, row => row.Kind == kind).Name
        ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown strategy kind.");

    /// <summary>Parses a manifest spelling.</summary>
    /// <param name="name">The lower-case name.</param>
    /// <param name="kind">The kind when the name is known.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> names a kind.</returns>
    public static bool TryParse(string? name, out StrategyKind kind)
    {
        foreach (var row in Table)
        {
            if (string.Equals(row.Name, name, StringComparison.Ordinal))
            {
                kind = row.Kind;
                return true;
            }
        }

        kind = default;
        return false;
    }

    /// <summary>The SDK interface that strategies of <paramref name="kind"/> implement.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The contract type.</returns>
    public static Type ContractOf(StrategyKind kind) => Array.Find(Table, row => row.Kind == kind).Contract
        ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown strategy kind.");

    /// <summary>Finds the kind of a strategy type from the contract it implements.</summary>
    /// <param name="type">A concrete class.</param>
    /// <param name="kinds">Every kind whose contract <paramref name="type"/> implements.</param>
    /// <returns><see langword="true"/> when the type implements at least one contract.</returns>
    public static bool TryGetKinds(Type type, out IReadOnlyList<StrategyKind> kinds)
    {
        ArgumentNullException.ThrowIfNull(type);
        var found = new List<StrategyKind>();
        foreach (var row in Table)
        {
            if (row.Contract.IsAssignableFrom(type))
            {
                found.Add(row.Kind);
            }
        }

        kinds = found;
        return found.Count > 0;
    }
}
