namespace Medley.Host.Running;

/// <summary>One member's share of a run.</summary>
/// <param name="Role">Its role.</param>
/// <param name="Name">Its name.</param>
/// <param name="Device">The device it ran on.</param>
/// <param name="ForwardCalls">Forward passes.</param>
/// <param name="ForwardTokens">Tokens those passes consumed.</param>
/// <param name="ForwardSeconds">Seconds spent in them.</param>
public sealed record MemberStatistics(string Role, string Name, string Device, long ForwardCalls, long ForwardTokens, double ForwardSeconds);
