using System.Text.Json.Nodes;

namespace Medley.Host.Merging.Configuration;

/// <summary>
/// A numeric list spread evenly over the layers of a slice (mergekit's gradient): at position
/// p = t·(k−1) the value is interpolated linearly between anchors ⌊p⌋ and ⌊p⌋+1.
/// </summary>
/// <param name="Anchors">At least one number.</param>
internal sealed record GradientParameterSetting(IReadOnlyList<double> Anchors) : ParameterSetting
{
    /// <inheritdoc />
    public override JsonValue? Evaluate(string tensorName, double t) => JsonValue.Create(Interpolate(t));

    /// <summary>The interpolated value at <paramref name="t"/>.</summary>
    /// <param name="t">0 to 1.</param>
    /// <returns>The value.</returns>
    public double Interpolate(double t)
    {
        var scaled = t * (Anchors.Count - 1);
        var lower = Math.Min((int)scaled, Anchors.Count - 1);
        var upper = Math.Min(Anchors.Count - 1, lower + 1);
        var fraction = scaled - lower;
        return ((1 - fraction) * Anchors[lower]) + (fraction * Anchors[upper]);
    }

    /// <inheritdoc />
    public override object ToPlainData() => Anchors.ToList();

    /// <inheritdoc />
    public override IEnumerable<JsonValue> Leaves => Anchors.Select(a => JsonValue.Create(a));
}
