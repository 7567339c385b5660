namespace Medley.Host.Merging.Configuration;

/// <summary>One <c>{filter, value}</c> entry: applies to tensors whose name contains <paramref name="Filter"/>.</summary>
/// <param name="Filter">A substring of tensor names; <see langword="null"/> or <c>*</c> matches every tensor.</param>
/// <param name="Value">A scalar or a list (gradient).</param>
internal sealed record ParameterFilter(string? Filter, ParameterSetting Value)
{
    /// <summary>Whether the entry applies to a tensor.</summary>
    /// <param name="tensorName">The tensor's name.</param>
    /// <returns><see langword="true"/> when it applies.</returns>
    public bool Matches(string tensorName) =>
        Filter is null || Filter == "*" || tensorName.Contains(Filter, StringComparison.Ordinal);
}
