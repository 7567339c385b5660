using System.Text.Json.Nodes;

namespace Medley.Host.Merging.Configuration;

/// <summary>One value for every tensor.</summary>
/// <param name="Value">A number, boolean or string.</param>
internal sealed record ScalarParameterSetting(JsonValue Value) : ParameterSetting
{
    /// <inheritdoc />
    public override JsonValue? Evaluate(string tensorName, double t) => (JsonValue)Value.DeepClone();

    /// <inheritdoc />
    public override object ToPlainData() => Value;

    /// <inheritdoc />
    public override IEnumerable<JsonValue> Leaves => [Value];
}
