namespace Medley.Cli.Infrastructure;

/// <summary>A command line that parsed but makes no sense (exit code 2).</summary>
internal sealed class CliUsageException(string message) : Exception(message);
