namespace Medley.Sdk.Testing;

/// <summary>
/// Thrown by the conformance checks when a plugin or strategy breaks its contract. It lists every violation found,
/// not only the first, so one run shows everything to fix; it derives from <see cref="Exception"/> only, so any test
/// framework reports it as a failure.
/// </summary>
public sealed class ConformanceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="subject">What was checked, e.g. "merge method 'ties'".</param>
    /// <param name="violations">Each broken rule, in words.</param>
    public ConformanceException(string subject, IReadOnlyList<string> violations)
        : base(Describe(subject, violations))
    {
        Subject = subject;
        Violations = violations;
    }

    /// <summary>What was checked.</summary>
    public string Subject { get; }

    /// <summary>Each broken rule, in words.</summary>
    public IReadOnlyList<string> Violations { get; }

    private static string Describe(string subject, IReadOnlyList<string> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        return $"{subject} breaks {violations.Count} conformance rule(s):{Environment.NewLine}- "
            + string.Join(Environment.NewLine + "- ", violations);
    }
}
