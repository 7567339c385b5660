using System.Runtime.CompilerServices;
using Mediator;
using Medley.Host.Pipeline;
using Medley.Host.Plugins;
using Medley.Host.Runtime;
using Medley.Host.Runtime.Devices;
using Medley.Host.Sampling;
using Medley.Host.Tokenization;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;
using Microsoft.Extensions.AI;

namespace Medley.Host.Requests;

/// <summary>Generates text with one model, streaming it as it is decoded (<c>medley generate</c>).</summary>
/// <param name="ModelPath">The ONNX model folder (or file).</param>
/// <param name="Prompt">The prompt.</param>
/// <param name="Sampling">How tokens are drawn; temperature 0 is greedy.</param>
public sealed record Generate(string ModelPath, string Prompt, SamplingOptions Sampling) : IStreamRequest<TokenEvent>, IValidatableRequest
{
    /// <summary>Whether to wrap the prompt in the model's chat template as a user turn.</summary>
    public bool Chat { get; init; }

    /// <summary>The device (<c>auto</c>, <c>cpu</c>, <c>cuda:0</c>…).</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Filled in as generation runs: token counts, timings, the device used.</summary>
    public GenerationStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath))
        {
            yield return "--model is empty: expected an ONNX model folder";
        }

        if (Sampling.MaxTokens < 1)
        {
            yield return $"--max-tokens is {Sampling.MaxTokens}: expected at least 1";
        }

        if (Sampling.Temperature < 0)
        {
            yield return $"--temperature is {Sampling.Temperature}: expected 0 (greedy) or more";
        }

        if (Sampling.TopP is <= 0 or > 1)
        {
            yield return $"--top-p is {Sampling.TopP}: expected a value in (0, 1]";
        }

        if (Sampling.TopK < 0)
        {
            yield return $"--top-k is {Sampling.TopK}: expected 0 (off) or more";
        }
    }
}

/// <summary>What a generation did, for the summary line and <c>--json</c>.</summary>
public sealed class GenerationStatistics
{
    /// <summary>The device the model ran on.</summary>
    public string Device { get; set; } = string.Empty;

    /// <summary>How the device was chosen.</summary>
    public string DeviceNote { get; set; } = string.Empty;

    /// <summary>Prompt tokens.</summary>
    public int PromptTokens { get; set; }

    /// <summary>Seconds spent on the prompt (one forward pass).</summary>
    public double PrefillSeconds { get; set; }

    /// <summary>Tokens generated.</summary>
    public int GeneratedTokens { get; set; }

    /// <summary>Seconds spent generating after the prompt.</summary>
    public double DecodeSeconds { get; set; }

    /// <summary>Why generation stopped: <c>eos</c>, <c>stop-string</c>, <c>max-tokens</c> or <c>context-length</c>.</summary>
    public string StopReason { get; set; } = string.Empty;

    /// <summary>The sampler's seed (to replay a sampled run).</summary>
    public ulong Seed { get; set; }

    /// <summary>Prompt tokens per second.</summary>
    public double PrefillTokensPerSecond => PrefillSeconds > 0 ? PromptTokens / PrefillSeconds : 0;

    /// <summary>Generated tokens per second, after the prompt.</summary>
    public double DecodeTokensPerSecond => DecodeSeconds > 0 ? GeneratedTokens / DecodeSeconds : 0;
}

/// <summary>Handles <see cref="Generate"/>: the host's own decoding loop over one model.</summary>
public sealed class GenerateHandler : IStreamRequestHandler<Generate, TokenEvent>
{
    private readonly PluginCatalog _catalog;

    /// <summary>Creates the handler.</summary>
    /// <param name="catalog">Where provider plugins come from.</param>
    public GenerateHandler(PluginCatalog catalog) => _catalog = catalog;

    /// <inheritdoc />
    public async IAsyncEnumerable<TokenEvent> Handle(Generate request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var selection = new DeviceSelector(_catalog).Select(request.Device);
        var statistics = request.Statistics;
        statistics.Device = $"{selection.Candidate.DeviceType}:{selection.Device.Index}";
        statistics.DeviceNote = selection.Note;
        using var model = OnnxCausalLanguageModel.Load(new OnnxModelOptions
        {
            Path = request.ModelPath,
            TokenizerFactory = HfTokenizerLoader.Load,
            ConfigureSession = selection.ConfigureSession,
            Device = statistics.Device,
        });
        var tokenizer = model.Tokenizer;
        var prompt = request.Chat
            ? tokenizer.ApplyChatTemplate([new ChatMessage(ChatRole.User, request.Prompt)], addGenerationPrompt: true)
            : request.Prompt;
        var promptTokens = tokenizer.Encode(prompt, addSpecialTokens: true).ToArray();
        if (promptTokens.Length == 0)
        {
            throw new Sdk.MedleyException("generate.prompt.empty", "The prompt encodes to no tokens: give a non-empty --prompt.");
        }

        var generation = new SingleModelGeneration(model, request.Sampling);
        statistics.Seed = generation.Seed;
        try
        {
            await foreach (var piece in generation.RunAsync(promptTokens, cancellationToken).ConfigureAwait(false))
            {
                yield return piece;
            }
        }
        finally
        {
            // The statistics are read after the stream ends, or after it was abandoned part way.
            statistics.PromptTokens = generation.PromptTokens;
            statistics.PrefillSeconds = generation.PrefillSeconds;
            statistics.GeneratedTokens = generation.GeneratedTokens;
            statistics.DecodeSeconds = generation.DecodeSeconds;
            statistics.StopReason = generation.StopReason;
        }
    }
}
