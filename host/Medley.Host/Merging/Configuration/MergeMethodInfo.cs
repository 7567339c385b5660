using System.Text.Json;
using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Host.Merging.Configuration;

/// <summary>What config validation and planning need to know about one merge method.</summary>
/// <param name="Name">The <c>merge_method</c> name.</param>
/// <param name="Traits">The method's traits.</param>
/// <param name="ParametersSchema">The JSON Schema of its parameters from the plugin manifest, if it declares one.</param>
/// <param name="ValidateParameters">The method's own check of resolved parameters, if any.</param>
internal sealed record MergeMethodInfo(
    string Name,
    MergeMethodTraits Traits,
    JsonElement? ParametersSchema = null,
    Func<StrategyParameters, IReadOnlyList<StrategyParameters>, IReadOnlyList<string>>? ValidateParameters = null)
{
    /// <summary>Describes a loaded merge method.</summary>
    /// <param name="name">Its strategy name.</param>
    /// <param name="method">The method.</param>
    /// <param name="parametersSchema">The parameter schema its manifest declares.</param>
    /// <returns>The description.</returns>
    public static MergeMethodInfo FromMethod(string name, IMergeMethod method, JsonElement? parametersSchema)
    {
        ArgumentNullException.ThrowIfNull(method);
        return new MergeMethodInfo(name, method.Traits, parametersSchema, method.ValidateParameters);
    }

    /// <summary>The parsed parameter schema (empty when none was declared).</summary>
    public ParameterSchema Schema { get; } = ParameterSchema.From(ParametersSchema);

    /// <summary>Whether a parameter is given per input model rather than globally.</summary>
    /// <param name="parameter">The parameter name.</param>
    /// <returns><see langword="true"/> for per-model parameters.</returns>
    public bool IsPerModel(string parameter) => Traits.PerModelParameters.Contains(parameter, StringComparer.Ordinal);
}
