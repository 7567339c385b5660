namespace Medley.Benchmarks;

/// <summary>
/// One timed generation: prompt and new-token counts, the seconds each phase took, and (where the loop measures it)
/// the seconds of decode spent choosing tokens rather than running the model.
/// </summary>
internal sealed record DecodeRun(int PromptTokens, double PrefillSeconds, int GeneratedTokens, double DecodeSeconds, double SamplingSeconds = 0)
{
    public double PrefillTokensPerSecond => PromptTokens / PrefillSeconds;

    public double DecodeTokensPerSecond => GeneratedTokens / DecodeSeconds;
}
