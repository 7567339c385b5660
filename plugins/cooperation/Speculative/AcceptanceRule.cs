namespace Medley.Cooperation.Speculative;

/// <summary>
/// How a drafted token is verified. Only <see cref="Exact"/> is reachable from outside this assembly; the wrong
/// rules exist so that the tests can show their distribution check catches a broken implementation.
/// </summary>
internal enum AcceptanceRule
{
    /// <summary>Accept with probability min(1, p/q); on rejection resample from norm(max(0, p − q)).</summary>
    Exact,

    /// <summary>Wrong: accept every drafted token (the output follows the draft).</summary>
    AcceptAlways,

    /// <summary>Wrong: accept with min(1, p/q) but resample from p itself on rejection.</summary>
    ResampleFromTarget,
}
