namespace Medley.Tools.GpuCheck;

/// <summary>A check whose expectation did not hold; the report shows its message.</summary>
internal sealed class CheckFailedException : Exception
{
    public CheckFailedException(string message)
        : base(message)
    {
    }

    public CheckFailedException()
    {
    }

    public CheckFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
