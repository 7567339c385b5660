namespace Medley.Sdk;

/// <summary>Who is at fault for an error; the CLI turns it into an exit code.</summary>
public enum MedleyErrorKind
{
    /// <summary>The user's input is wrong (a file, a config, a parameter): exit code 3.</summary>
    InvalidInput,

    /// <summary>The command line itself is wrong: exit code 2.</summary>
    Usage,

    /// <summary>Something failed that the user could not have prevented: exit code 1.</summary>
    Failure,
}
