namespace Medley.Host.Sampling;

/// <summary>Stable error codes for sampling problems.</summary>
public static class SamplingErrorCodes
{
    /// <summary>A sampling option is out of its range.</summary>
    public const string OptionsInvalid = "sampling.options.invalid";

    /// <summary>Every token was excluded, so there is nothing to draw.</summary>
    public const string NoCandidates = "sampling.no-candidates";

    /// <summary>A stop string is empty.</summary>
    public const string StopStringEmpty = "sampling.stop-string.empty";
}
