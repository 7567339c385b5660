using System.Text.Json.Nodes;

namespace Medley.Host.Merging.Configuration;

/// <summary>
/// A parameter value as a merge config writes it: a scalar, a gradient over layers, or name filters.
/// The host turns it into one value per tensor with <see cref="Evaluate"/>.
/// </summary>
internal abstract record ParameterSetting
{
    /// <summary>The value for one tensor.</summary>
    /// <param name="tensorName">The tensor's name, matched against filters.</param>
    /// <param name="t">Position of the tensor's layer within its slice, 0 to 1.</param>
    /// <returns>The value, or <see langword="null"/> when no filter matches (the next precedence level then applies).</returns>
    public abstract JsonValue? Evaluate(string tensorName, double t);

    /// <summary>The setting as YAML-ready data: scalars, lists and string-keyed maps.</summary>
    /// <returns>A plain object tree.</returns>
    public abstract object ToPlainData();

    /// <summary>Every scalar the setting can produce (gradients count as numbers), for type checks.</summary>
    public abstract IEnumerable<JsonValue> Leaves { get; }
}
