namespace Medley.Host.Merging.Configuration;

/// <summary>One output slice: consecutive output layers made from equally long layer ranges of its sources.</summary>
/// <param name="Sources">The sources, in config order.</param>
/// <param name="BaseModel">The slice's own base model, overriding the top-level one.</param>
/// <param name="Parameters">Parameters given on the slice.</param>
internal sealed record MergeSlice(IReadOnlyList<MergeSliceSource> Sources, ModelReference? BaseModel, IReadOnlyDictionary<string, ParameterSetting> Parameters);
