namespace Medley.Tools.GpuCheck;

/// <summary>One <c>medley generate --json</c> child process: its exit, its text and statistics.</summary>
internal sealed record GenerationRun(
    string Device,
    int ExitCode,
    double WallSeconds,
    string Text,
    int PromptTokens,
    double PrefillSeconds,
    int GeneratedTokens,
    double DecodeSeconds,
    string StopReason,
    string Error)
{
    public bool Succeeded => ExitCode == 0 && Error.Length == 0;

    public double PrefillTokensPerSecond => PrefillSeconds > 0 ? PromptTokens / PrefillSeconds : 0;

    public double DecodeTokensPerSecond => DecodeSeconds > 0 ? GeneratedTokens / DecodeSeconds : 0;
}
