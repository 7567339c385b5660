using Medley.Sdk.Merging;

namespace Medley.Host.Merging.Configuration;

/// <summary>A merge config that passed validation, with the facts read while validating it.</summary>
/// <param name="Config">The config as written.</param>
/// <param name="Method">The merge method it names.</param>
/// <param name="LayerCounts">Each model's layer count, by model name.</param>
/// <param name="Slices">
/// The output slices; a <c>models:</c> config becomes one slice over every model's full layer range, with the
/// base appended as a source when the models list does not name it (what mergekit does).
/// </param>
internal sealed record ValidatedMergeConfig(
    MergeConfig Config,
    MergeMethodInfo Method,
    IReadOnlyDictionary<string, ModelLayerCount> LayerCounts,
    IReadOnlyList<MergeSlice> Slices)
{
    /// <summary>The number of layers the output model has.</summary>
    public int OutputLayerCount => Slices.Sum(s => s.Sources[0].LayerCount);

    /// <summary>The base of a slice as the method sees it; <see langword="null"/> when the method takes no base (it is then an ordinary input).</summary>
    /// <param name="slice">The slice.</param>
    /// <returns>The base, if any.</returns>
    public ModelReference? BaseFor(MergeSlice slice) => BaseFor(Method, Config, slice);

    /// <summary>The base of a slice for a method.</summary>
    /// <param name="method">The method.</param>
    /// <param name="config">The config.</param>
    /// <param name="slice">The slice.</param>
    /// <returns>The base, if any.</returns>
    public static ModelReference? BaseFor(MergeMethodInfo method, MergeConfig config, MergeSlice slice) =>
        method.Traits.BaseModel == BaseModelUse.None ? null : slice.BaseModel ?? config.BaseModel;

    /// <summary>The slices a config denotes.</summary>
    /// <param name="config">The config.</param>
    /// <param name="layerCount">A model's layer count (used for <c>models:</c> configs).</param>
    /// <returns>The slices.</returns>
    public static IReadOnlyList<MergeSlice> EffectiveSlices(MergeConfig config, Func<ModelReference, int> layerCount)
    {
        if (config.Slices is not null || config.Models is null)
        {
            return config.Slices ?? [];
        }

        var sources = (config.Models ?? [])
            .Select(m => new MergeSliceSource(m.Model, 0, layerCount(m.Model), m.Parameters))
            .ToList();
        if (config.BaseModel is { } baseModel && !sources.Exists(s => s.Model.Name == baseModel.Name))
        {
            sources.Add(new MergeSliceSource(baseModel, 0, layerCount(baseModel), new Dictionary<string, ParameterSetting>()));
        }

        return [new MergeSlice(sources, null, new Dictionary<string, ParameterSetting>())];
    }
}
