namespace Medley.Host.Evaluation;

/// <summary>What was evaluated.</summary>
/// <param name="Kind"><c>model</c> for one model; a strategy's name for a run config.</param>
/// <param name="Name">Its display name.</param>
/// <param name="Location">Where it was loaded from.</param>
/// <param name="Device">The device it ran on.</param>
public sealed record EvaluationSubject(string Kind, string Name, string Location, string Device);
