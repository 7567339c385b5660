namespace Medley.Cli.Infrastructure;

/// <summary>The documented exit codes of the <c>medley</c> command (docs/cli.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int InvalidInput = 3;
    public const int Cancelled = 130;
}
