namespace Medley.Ensemble.Cascade;

/// <summary>
/// A member's own call failed (its timeout included). The cascade escalates past such a member, while an error in
/// the cascade's configuration (a scorer that cannot work with the member) stops the request.
/// </summary>
internal sealed class MemberCallFailedException : Exception
{
    public MemberCallFailedException()
    {
    }

    public MemberCallFailedException(string message)
        : base(message)
    {
    }

    public MemberCallFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
