using System.Text.Json.Nodes;
using Medley.Sdk;

namespace Medley.Host.Merging.Configuration;

/// <summary>
/// Resolves parameters for one tensor with mergekit's precedence: a per-model parameter comes from the model's
/// source entry (<c>models[i].parameters</c> or <c>slices[i].sources[j].parameters</c>), then the slice's
/// parameters, then the top-level ones; a global parameter from the slice, then the top level. At each level a
/// filter list that matches nothing falls through to the next level. Parameters given nowhere are left out
/// (the method applies its own default).
/// </summary>
/// <param name="config">The validated config.</param>
internal sealed class ParameterResolver(ValidatedMergeConfig config)
{
    /// <summary>Global parameters for one tensor.</summary>
    /// <param name="slice">The output slice the tensor belongs to.</param>
    /// <param name="tensorName">The output tensor's name (filters match it).</param>
    /// <param name="t">The layer position within the slice, 0 to 1.</param>
    /// <returns>The resolved parameters.</returns>
    public StrategyParameters Global(MergeSlice slice, string tensorName, double t)
    {
        var values = new List<KeyValuePair<string, object?>>();
        foreach (var name in GlobalNames(slice))
        {
            if (ResolveGlobal(slice, name, tensorName, t) is { } value)
            {
                values.Add(new(name, value));
            }
        }

        return StrategyParameters.FromValues(values);
    }

    /// <summary>Per-model parameters of one input for one tensor.</summary>
    /// <param name="slice">The output slice the tensor belongs to.</param>
    /// <param name="model">The input model's name.</param>
    /// <param name="tensorName">The input tensor's name (filters match it, as in mergekit).</param>
    /// <param name="t">The layer position within the slice, 0 to 1.</param>
    /// <returns>The resolved parameters.</returns>
    public StrategyParameters PerModel(MergeSlice slice, string model, string tensorName, double t)
    {
        var values = new List<KeyValuePair<string, object?>>();
        foreach (var name in PerModelNames(slice))
        {
            if (ResolvePerModel(slice, model, name, tensorName, t) is { } value)
            {
                values.Add(new(name, value));
            }
        }

        return StrategyParameters.FromValues(values);
    }

    /// <summary>One global parameter.</summary>
    /// <param name="slice">The slice.</param>
    /// <param name="name">The parameter.</param>
    /// <param name="tensorName">The tensor.</param>
    /// <param name="t">The layer position.</param>
    /// <returns>The value, or <see langword="null"/> when given nowhere.</returns>
    public JsonValue? ResolveGlobal(MergeSlice slice, string name, string tensorName, double t) =>
        Evaluate(slice.Parameters, name, tensorName, t) ?? Evaluate(config.Config.Parameters, name, tensorName, t);

    /// <summary>One per-model parameter.</summary>
    /// <param name="slice">The slice.</param>
    /// <param name="model">The model's name.</param>
    /// <param name="name">The parameter.</param>
    /// <param name="tensorName">The tensor.</param>
    /// <param name="t">The layer position.</param>
    /// <returns>The value, or <see langword="null"/> when given nowhere.</returns>
    public JsonValue? ResolvePerModel(MergeSlice slice, string model, string name, string tensorName, double t)
    {
        foreach (var source in slice.Sources.Where(s => s.Model.Name == model))
        {
            if (Evaluate(source.Parameters, name, tensorName, t) is { } value)
            {
                return value;
            }
        }

        return ResolveGlobal(slice, name, tensorName, t);
    }

    private IEnumerable<string> GlobalNames(MergeSlice slice)
    {
        var method = config.Method;
        var names = method.Schema.Properties.Keys.Where(n => !method.IsPerModel(n));
        if (method.Schema.AllowsUndeclared)
        {
            names = names.Concat(config.Config.Parameters.Keys.Concat(slice.Parameters.Keys).Where(n => !method.IsPerModel(n)));
        }

        return names.Distinct(StringComparer.Ordinal);
    }

    private IEnumerable<string> PerModelNames(MergeSlice slice)
    {
        var method = config.Method;
        var names = method.Traits.PerModelParameters.AsEnumerable();
        if (method.Schema.AllowsUndeclared)
        {
            names = names.Concat(slice.Sources.SelectMany(s => s.Parameters.Keys).Where(n => !method.Schema.Properties.ContainsKey(n)));
        }

        return names.Distinct(StringComparer.Ordinal);
    }

    private static JsonValue? Evaluate(IReadOnlyDictionary<string, ParameterSetting> block, string name, string tensorName, double t) =>
        block.TryGetValue(name, out var setting) ? setting.Evaluate(tensorName, t) : null;
}
