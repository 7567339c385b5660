namespace Medley.Sdk;

/// <summary>
/// The one exception type for errors a user should read. Its <see cref="Code"/> is stable across
/// releases so that scripts can match on it; its message says what was wrong, where, and what was expected.
/// The host prints such errors without a stack trace.
/// </summary>
public class MedleyException : Exception
{
    /// <summary>Creates an error.</summary>
    /// <param name="code">A stable, dotted, lower-case code such as <c>plugin.manifest.invalid</c>.</param>
    /// <param name="message">The message shown to the user.</param>
    /// <param name="kind">Whose fault it is.</param>
    /// <param name="details">Further lines, one per problem, when several were found at once.</param>
    /// <param name="innerException">The cause, if any.</param>
    public MedleyException(
        string code,
        string message,
        MedleyErrorKind kind = MedleyErrorKind.InvalidInput,
        IReadOnlyList<string>? details = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code;
        Kind = kind;
        Details = details ?? [];
    }

    /// <summary>The stable error code.</summary>
    public string Code { get; }

    /// <summary>Whose fault it is.</summary>
    public MedleyErrorKind Kind { get; }

    /// <summary>One line per problem when several were found at once; empty otherwise.</summary>
    public IReadOnlyList<string> Details { get; }
}
