using System.Text.Json.Nodes;

namespace Medley.Host.Merging.Configuration;

/// <summary>
/// Stands for a parameter the user gave in a form that was already reported as wrong, so that later checks
/// (such as "required parameter missing") do not also call it absent. A config holding one never validates.
/// </summary>
internal sealed record InvalidParameterSetting : ParameterSetting
{
    /// <summary>The one instance.</summary>
    public static InvalidParameterSetting Instance { get; } = new();

    /// <inheritdoc />
    public override JsonValue? Evaluate(string tensorName, double t) => null;

    /// <inheritdoc />
    public override object ToPlainData() => throw new InvalidOperationException("An invalid parameter value cannot be written.");

    /// <inheritdoc />
    public override IEnumerable<JsonValue> Leaves => [];
}
