using System.Text;
using Medley.Host.Runtime;
using Medley.Host.Runtime.Devices;
using Medley.Host.Tokenization;
using Medley.Sdk;
using Medley.Sdk.Models;

namespace Medley.Host.Evaluation;

/// <summary>One model answering by greedy decoding, one <see cref="IDecodingSession"/> per prompt.</summary>
internal sealed class ModelAnswerer : IPromptAnswerer
{
    private readonly ICausalLanguageModel _model;
    private readonly HashSet<int> _eos;
    private long _calls;

    /// <summary>Wraps a model; the answerer owns it and disposes it.</summary>
    public ModelAnswerer(ICausalLanguageModel model)
    {
        _model = model;
        _eos = model.Tokenizer.EosTokenIds.ToHashSet();
    }

    /// <summary>Loads an ONNX model folder for evaluation on the selected device.</summary>
    /// <param name="path">The model folder.</param>
    /// <param name="selection">The device.</param>
    /// <param name="parallelism">Items decoded at once.</param>
    /// <param name="name">The name shown in reports; the folder's name when null.</param>
    public static ModelAnswerer Load(string path, DeviceSelection selection, int parallelism, string? name = null) =>
        new(OnnxCausalLanguageModel.Load(new OnnxModelOptions
        {
            Path = path,
            Name = name,
            TokenizerFactory = HfTokenizerLoader.Load,
            ConfigureSession = options =>
            {
                selection.ConfigureSession(options);
                if (parallelism > 1)
                {
                    // Items already keep the cores busy; ONNX Runtime's own intra-op threads would only contend with
                    // them (measured on 2 cores: 1 intra-op thread per run was about twice as fast as the default).
                    options.IntraOpNumThreads = 1;
                }
            },
            Device = $"{selection.Candidate.DeviceType}:{selection.Device.Index}",
        }));

    public string Kind => "model";

    public string Name => _model.Info.Name;

    public string Location => _model.Info.Location;

    public string Device => _model.Info.Device;

    public ITextTokenizer Tokenizer => _model.Tokenizer;

    public IReadOnlyDictionary<string, long> Calls => new Dictionary<string, long>(StringComparer.Ordinal) { [Name] = Interlocked.Read(ref _calls) };

    public IReadOnlyDictionary<string, double> Counters { get; } = new Dictionary<string, double>(StringComparer.Ordinal);

    public async ValueTask<AnswerOutcome> AnswerAsync(string prompt, ExactMatch target, int maxTokens, CancellationToken cancellationToken)
    {
        var tokenizer = _model.Tokenizer;
        var promptTokens = tokenizer.Encode(prompt, addSpecialTokens: true).ToArray();
        if (promptTokens.Length == 0)
        {
            throw new MedleyException(EvaluationErrorCodes.PromptEmpty, $"The prompt '{prompt}' encodes to no tokens with {tokenizer.Description}; expected a prompt the model can read.");
        }

        using var session = _model.CreateSession();
        var logits = await AppendAsync(session, promptTokens, cancellationToken).ConfigureAwait(false);
        var decoder = new IncrementalTextDecoder(tokenizer);
        var text = new StringBuilder();
        var generated = 0;
        var length = promptTokens.Length;
        var stopReason = "max-tokens";
        while (generated < maxTokens)
        {
            var token = Greedy(logits.Last.Span, tokenizer.VocabularySize);
            if (_eos.Contains(token))
            {
                stopReason = "eos";
                break;
            }

            generated++;
            length++;
            text.Append(decoder.Add(token));
            if (!target.CouldStillMatch(text.ToString()))
            {
                stopReason = "mismatch";
                break;
            }

            if (_model.Info.ContextLength is { } context && length >= context)
            {
                stopReason = "context-length";
                break;
            }

            if (generated < maxTokens)
            {
                logits = await AppendAsync(session, new[] { token }, cancellationToken).ConfigureAwait(false);
            }
        }

        text.Append(decoder.Flush());
        return new AnswerOutcome(text.ToString(), promptTokens.Length, generated, stopReason);
    }

    public void Dispose() => _model.Dispose();

    private ValueTask<Logits> AppendAsync(IDecodingSession session, int[] tokens, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return session.AppendAsync(tokens, LogitsScope.Last, cancellationToken);
    }

    // Ids past the tokenizer's vocabulary are padding with no text, so they are never chosen; ties go to the
    // lowest id, as torch.argmax does.
    private static int Greedy(ReadOnlySpan<float> row, int usable)
    {
        var scores = row[..Math.Min(usable, row.Length)];
        var best = 0;
        for (var i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }

        return best;
    }
}
