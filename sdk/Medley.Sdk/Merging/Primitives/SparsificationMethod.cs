namespace Medley.Sdk.Merging.Primitives;

/// <summary>How each task vector is thinned out before the task vectors are combined.</summary>
public enum SparsificationMethod
{
    /// <summary>Task vectors are used whole.</summary>
    None,

    /// <summary>Keep the <c>floor(density·n)</c> largest magnitudes (TIES); see <see cref="MagnitudeSparsifier"/>.</summary>
    Magnitude,

    /// <summary>Keep each element with probability <c>density</c> (DARE); see <see cref="RandomSparsifier"/>.</summary>
    Random,

    /// <summary>Drop the largest outliers and the smallest magnitudes (model breadcrumbs); see <see cref="MagnitudeOutlierSparsifier"/>.</summary>
    MagnitudeOutliers,

    /// <summary>Keep each element with a probability that grows with its magnitude rank in its row (DELLA); see <see cref="DellaMagPruneSparsifier"/>.</summary>
    DellaMagPrune,
}
