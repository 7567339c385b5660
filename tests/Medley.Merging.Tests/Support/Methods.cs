using System.Reflection;
using Medley.Merging.BreadcrumbsTies;
using Medley.Merging.DareLinear;
using Medley.Merging.DareTies;
using Medley.Merging.Della;
using Medley.Merging.DellaLinear;
using Medley.Merging.Linear;
using Medley.Merging.Passthrough;
using Medley.Merging.TaskArithmetic;
using Medley.Merging.Ties;
using Medley.Sdk;
using Medley.Sdk.Merging;
using BreadcrumbsMethod = Medley.Merging.Breadcrumbs.BreadcrumbsMergeMethod;

namespace Medley.Merging.Tests.Support;

/// <summary>The shipped methods by their mergekit names, and the semantics table the reference follows.</summary>
internal static class Methods
{
    public static IReadOnlyDictionary<string, IMergeMethod> All { get; } = new IMergeMethod[]
    {
        new LinearMergeMethod(),
        new PassthroughMergeMethod(),
        new TaskArithmeticMergeMethod(),
        new TiesMergeMethod(),
        new DareTiesMergeMethod(),
        new DareLinearMergeMethod(),
        new BreadcrumbsMethod(),
        new BreadcrumbsTiesMergeMethod(),
        new DellaMergeMethod(),
        new DellaLinearMergeMethod(),
    }.ToDictionary(m => m.GetType().GetCustomAttribute<MedleyStrategyAttribute>()!.Name);

    // The table from mergekit's registry: consensus, sparsifier, default normalize, default rescale.
    public static IReadOnlyDictionary<string, GtaSpec> Gta { get; } = new Dictionary<string, GtaSpec>
    {
        ["task_arithmetic"] = new(Consensus: false, Sparsifier.None, Normalize: false, Rescale: false),
        ["ties"] = new(Consensus: true, Sparsifier.Magnitude, Normalize: true, Rescale: false),
        ["dare_ties"] = new(Consensus: true, Sparsifier.Random, Normalize: false, Rescale: true),
        ["dare_linear"] = new(Consensus: false, Sparsifier.Random, Normalize: false, Rescale: true),
        ["breadcrumbs"] = new(Consensus: false, Sparsifier.MagnitudeOutliers, Normalize: false, Rescale: false),
        ["breadcrumbs_ties"] = new(Consensus: true, Sparsifier.MagnitudeOutliers, Normalize: false, Rescale: false),
        ["della"] = new(Consensus: true, Sparsifier.Della, Normalize: true, Rescale: true),
        ["della_linear"] = new(Consensus: false, Sparsifier.Della, Normalize: false, Rescale: true),
    };

    public static IMergeMethod Get(string name) => All[name];
}

internal enum Sparsifier
{
    None,
    Magnitude,
    Random,
    MagnitudeOutliers,
    Della,
}

internal sealed record GtaSpec(bool Consensus, Sparsifier Sparsifier, bool Normalize, bool Rescale);
