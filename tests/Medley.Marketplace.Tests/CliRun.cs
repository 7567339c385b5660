namespace Medley.Marketplace.Tests;

/// <summary>What one in-process <c>medley</c> invocation printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Stdout, string Stderr);
