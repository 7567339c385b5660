using System.Diagnostics.CodeAnalysis;

namespace Medley.Host.Merging.Configuration;

/// <summary>A catalog over a fixed set of method descriptions.</summary>
internal sealed class MergeMethodCatalog : IMergeMethodCatalog
{
    private readonly Dictionary<string, MergeMethodInfo> _methods;

    /// <summary>Creates the catalog.</summary>
    /// <param name="methods">The methods; names must be unique.</param>
    public MergeMethodCatalog(IEnumerable<MergeMethodInfo> methods) =>
        _methods = methods.ToDictionary(m => m.Name, StringComparer.Ordinal);

    /// <inheritdoc />
    public IReadOnlyCollection<string> Names => _methods.Keys;

    /// <inheritdoc />
    public bool TryGet(string name, [NotNullWhen(true)] out MergeMethodInfo? method) => _methods.TryGetValue(name, out method);
}
