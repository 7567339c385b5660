using System.Diagnostics;
using Medley.Host.Runtime;
using Medley.Host.Sampling;
using Medley.Host.Tokenization;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;

namespace Medley.Benchmarks;

/// <summary>
/// Medley's runtime without the CLI, host or request pipeline: <see cref="OnnxCausalLanguageModel"/>, its decoding
/// session and the host sampler, timed like the generate handler. Splits an overhead between the runtime layer and
/// everything above it.
/// </summary>
internal static class SessionDecodeLoop
{
    public static async Task<(DecodeRun Run, List<int> Tokens)> GenerateAsync(string model, int[] prompt, int newTokens)
    {
        using var loaded = OnnxCausalLanguageModel.Load(new OnnxModelOptions { Path = model, TokenizerFactory = HfTokenizerLoader.Load });
        using var session = loaded.CreateSession();
        var sampler = new TokenSampler(new SamplingOptions { Temperature = 0, MaxTokens = newTokens });
        var clock = Stopwatch.StartNew();
        var logits = await session.AppendAsync(prompt).ConfigureAwait(false);
        var prefill = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var history = new List<int>(prompt);
        var generated = new List<int>(newTokens);
        var sampling = TimeSpan.Zero;
        for (var step = 0; step < newTokens; step++)
        {
            var chosen = Stopwatch.GetTimestamp();
            var token = sampler.Next(logits.Last.Span, history);
            sampling += Stopwatch.GetElapsedTime(chosen);
            history.Add(token);
            generated.Add(token);
            if (step + 1 < newTokens)
            {
                logits = await session.AppendAsync(new[] { token }).ConfigureAwait(false);
            }
        }

        return (new DecodeRun(prompt.Length, prefill, generated.Count, clock.Elapsed.TotalSeconds, sampling.TotalSeconds), generated);
    }
}
