namespace Medley.Ensemble.LogitAverage;

/// <summary>How the members' distributions are combined.</summary>
public enum LogitAverageMode
{
    /// <summary>A weighted mixture of probabilities: <c>log Σ wᵢ pᵢ</c>.</summary>
    Mixture,

    /// <summary>A product of experts: <c>Σ wᵢ log pᵢ</c>, renormalised.</summary>
    Product,
}
