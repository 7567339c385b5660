using System.Text.Json.Nodes;

namespace Medley.Host.Merging.Configuration;

/// <summary>
/// A list of non-numeric scalars spread over the layers of a slice without interpolation: element ⌊t·(k−1)⌋
/// (what mergekit does with, e.g., a list of booleans).
/// </summary>
/// <param name="Values">At least one scalar.</param>
internal sealed record SteppedParameterSetting(IReadOnlyList<JsonValue> Values) : ParameterSetting
{
    /// <inheritdoc />
    public override JsonValue? Evaluate(string tensorName, double t) =>
        (JsonValue)Values[Math.Min((int)(t * (Values.Count - 1)), Values.Count - 1)].DeepClone();

    /// <inheritdoc />
    public override object ToPlainData() => Values.ToList();

    /// <inheritdoc />
    public override IEnumerable<JsonValue> Leaves => Values;
}
