namespace Medley.Host.Responses;

/// <summary>Stable error codes of response runs and their members (docs/errors.md).</summary>
public static class ResponseErrorCodes
{
    /// <summary>A member did not answer within its <c>timeout_s</c> (every attempt, for a remote member).</summary>
    public const string MemberTimeout = "response.member.timeout";

    /// <summary>A remote member's server refused or failed the call (after retries for transient errors).</summary>
    public const string MemberFailed = "response.member.failed";

    /// <summary>The environment variable a remote member's <c>api_key_env</c> names is not set.</summary>
    public const string ApiKeyMissing = "response.member.api_key_missing";

    /// <summary><c>medley eval --run</c> on a response run with no local member to count answer tokens with.</summary>
    public const string EvalWithoutLocalMember = "response.eval.no_local_member";
}
