using System.Text.Json.Nodes;

namespace Medley.Host.Merging.Configuration;

/// <summary>Values chosen by tensor name: the first entry whose filter the name contains wins.</summary>
/// <param name="Entries">The entries in config order.</param>
internal sealed record FilteredParameterSetting(IReadOnlyList<ParameterFilter> Entries) : ParameterSetting
{
    /// <inheritdoc />
    public override JsonValue? Evaluate(string tensorName, double t) =>
        Entries.FirstOrDefault(e => e.Matches(tensorName))?.Value.Evaluate(tensorName, t);

    /// <inheritdoc />
    public override object ToPlainData() => Entries
        .Select(e =>
        {
            var map = new Dictionary<string, object>(StringComparer.Ordinal);
            if (e.Filter is not null)
            {
                map["filter"] = JsonValue.Create(e.Filter);
            }

            map["value"] = e.Value.ToPlainData();
            return (object)map;
        })
        .ToList();

    /// <inheritdoc />
    public override IEnumerable<JsonValue> Leaves => Entries.SelectMany(e => e.Value.Leaves);
}
