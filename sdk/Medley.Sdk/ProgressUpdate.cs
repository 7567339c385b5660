namespace Medley.Sdk;

/// <summary>A progress event from long work (a merge, an export, an evaluation).</summary>
/// <param name="Stage">What is being done, e.g. <c>merge</c>.</param>
/// <param name="Completed">Units done so far.</param>
/// <param name="Total">Units in all, when known.</param>
/// <param name="Unit">What a unit is (<c>tensors</c>, <c>bytes</c>, <c>items</c>).</param>
/// <param name="Item">The item being worked on, e.g. a tensor name.</param>
public sealed record ProgressUpdate(string Stage, long Completed, long? Total, string Unit, string? Item = null);
