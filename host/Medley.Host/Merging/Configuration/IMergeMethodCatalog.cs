using System.Diagnostics.CodeAnalysis;

namespace Medley.Host.Merging.Configuration;

/// <summary>Looks up the merge methods that are registered (from plugins, or fakes in tests).</summary>
internal interface IMergeMethodCatalog
{
    /// <summary>The names of every registered method.</summary>
    IReadOnlyCollection<string> Names { get; }

    /// <summary>Finds a method by its <c>merge_method</c> name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="method">The method when found.</param>
    /// <returns><see langword="true"/> when registered.</returns>
    bool TryGet(string name, [NotNullWhen(true)] out MergeMethodInfo? method);
}
