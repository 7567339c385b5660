namespace Medley.Benchmarks;

/// <summary>One timed generation: prompt and new-token counts, and the seconds each phase took.</summary>
internal sealed record DecodeRun(int PromptTokens, double PrefillSeconds, int GeneratedTokens, double DecodeSeconds)
{
    public double PrefillTokensPerSecond => PromptTokens / PrefillSeconds;

    public double DecodeTokensPerSecond => GeneratedTokens / DecodeSeconds;
}
