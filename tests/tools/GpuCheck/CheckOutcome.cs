namespace Medley.Tools.GpuCheck;

/// <summary>One check's result as the report shows it.</summary>
/// <param name="Name">What was checked.</param>
/// <param name="Passed">Whether it held.</param>
/// <param name="Detail">What was seen (the failure's message when it did not hold).</param>
internal sealed record CheckOutcome(string Name, bool Passed, string Detail);
