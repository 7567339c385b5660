namespace Medley.Host.Responses;

/// <summary>
/// Keys of <see cref="Microsoft.Extensions.AI.ChatResponse.AdditionalProperties"/> through which response strategies
/// report to the host (docs/responses.md). Plugins write the literal string, since they do not reference the host.
/// </summary>
public static class ResponseProperties
{
    /// <summary>The name of the member whose response the strategy returned (a string).</summary>
    public const string Winner = "medley.winner";
}
