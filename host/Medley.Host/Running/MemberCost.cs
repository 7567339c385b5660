namespace Medley.Host.Running;

/// <summary>A member's prices, in the config's currency per million tokens (as providers list them).</summary>
/// <param name="InputPerMillion">Price of one million prompt tokens.</param>
/// <param name="OutputPerMillion">Price of one million generated tokens.</param>
public sealed record MemberCost(double InputPerMillion, double OutputPerMillion)
{
    /// <summary>The price of one call's tokens.</summary>
    /// <param name="inputTokens">Prompt tokens.</param>
    /// <param name="outputTokens">Generated tokens.</param>
    /// <returns>The cost.</returns>
    public double Of(long inputTokens, long outputTokens) => ((inputTokens * InputPerMillion) + (outputTokens * OutputPerMillion)) / 1_000_000d;
}
