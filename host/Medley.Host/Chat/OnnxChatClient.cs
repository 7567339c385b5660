using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Medley.Host.Sampling;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;
using Microsoft.Extensions.AI;

namespace Medley.Host.Chat;

/// <summary>
/// A local causal language model as an <see cref="IChatClient"/>: the messages go through the model's chat template
/// and the host's own decoding loop (the one <c>medley generate --chat</c> runs), so a response-level strategy can
/// treat local models and remote providers alike. Each call decodes in its own session, so calls may overlap.
/// </summary>
public sealed class OnnxChatClient : IChatClient
{
    private const string ProviderName = "medley-onnx";

    private readonly ICausalLanguageModel _model;
    private readonly bool _ownsModel;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Creates a chat client over a loaded model.</summary>
    /// <param name="model">The model; with <see cref="ChatPromptFormat.Template"/> its tokenizer must have a chat template.</param>
    /// <param name="modelId">The id reported on responses; the model's name when omitted.</param>
    /// <param name="ownsModel">Whether disposing the client disposes the model.</param>
    /// <param name="promptFormat">How messages become the prompt: the chat template, or raw text for a completion model.</param>
    public OnnxChatClient(ICausalLanguageModel model, string? modelId = null, bool ownsModel = false, ChatPromptFormat promptFormat = ChatPromptFormat.Template)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _ownsModel = ownsModel;
        PromptFormat = promptFormat;
        ModelId = string.IsNullOrWhiteSpace(modelId) ? model.Info.Name : modelId;
        _metadata = new ChatClientMetadata(ProviderName, providerUri: null, defaultModelId: ModelId);
    }

    /// <summary>The id reported on every response.</summary>
    public string ModelId { get; }

    /// <summary>How messages become the prompt.</summary>
    public ChatPromptFormat PromptFormat { get; }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var run = Prepare(messages, options);
        var text = new StringBuilder();
        await foreach (var piece in DecodeAsync(run, cancellationToken).ConfigureAwait(false))
        {
            text.Append(piece);
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text.ToString()) { MessageId = run.ResponseId })
        {
            ResponseId = run.ResponseId,
            ModelId = ModelId,
            CreatedAt = run.CreatedAt,
            FinishReason = run.FinishReason,
            Usage = run.Usage(),
            AdditionalProperties = run.LogProbabilityProperties(),
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var run = Prepare(messages, options);
        await foreach (var piece in DecodeAsync(run, cancellationToken).ConfigureAwait(false))
        {
            yield return Update(run, [new TextContent(piece)]);
        }

        // The finish reason and usage are known only once decoding ends, so they travel on a last, text-free update.
        var last = Update(run, [new UsageContent(run.Usage())]);
        last.FinishReason = run.FinishReason;
        last.AdditionalProperties = run.LogProbabilityProperties();
        yield return last;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        if (serviceType.IsInstanceOfType(this))
        {
            return this;
        }

        return serviceType.IsInstanceOfType(_model) ? _model : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsModel)
        {
            _model.Dispose();
        }
    }

    private ChatResponseUpdate Update(ChatRun run, IList<AIContent> contents) => new(ChatRole.Assistant, contents)
    {
        ResponseId = run.ResponseId,
        MessageId = run.ResponseId,
        ModelId = ModelId,
        CreatedAt = run.CreatedAt,
    };

    private ChatRun Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = new List<ChatMessage>();
        if (!string.IsNullOrWhiteSpace(options?.Instructions))
        {
            conversation.Add(new ChatMessage(ChatRole.System, options.Instructions));
        }

        conversation.AddRange(messages);
        if (conversation.Count == 0)
        {
            throw new MedleyException(ChatErrorCodes.NoMessages, $"The request to {ModelId} has no messages: give at least one.");
        }

        var tokenizer = _model.Tokenizer;
        var prompt = PromptFormat == ChatPromptFormat.Raw
            ? RawPrompt(conversation)
            : tokenizer.ApplyChatTemplate(conversation, addGenerationPrompt: true);
        var promptTokens = tokenizer.Encode(prompt, addSpecialTokens: true).ToArray();
        if (promptTokens.Length == 0)
        {
            throw new MedleyException(
                ChatErrorCodes.EmptyPrompt,
                PromptFormat == ChatPromptFormat.Raw
                    ? $"The messages to {ModelId} (prompt_format raw) hold no text: give a non-empty message."
                    : $"The chat template of {ModelId} renders the messages to no tokens.");
        }

        return new ChatRun(promptTokens, ChatSamplingOptions.From(options, ModelId));
    }

    /// <summary>
    /// The prompt of a completion model: the messages' texts in order joined by newlines, with no role markers, so a
    /// single user message reaches the model exactly as written.
    /// </summary>
    internal static string RawPrompt(IEnumerable<ChatMessage> conversation) =>
        string.Join("\n", conversation.Select(m => m.Text).Where(t => t.Length > 0));

    private async IAsyncEnumerable<string> DecodeAsync(ChatRun run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var generation = new SingleModelGeneration(_model, run.Sampling, recordTokenLogProbabilities: true);
        await foreach (var piece in generation.RunAsync(run.PromptTokens, cancellationToken).ConfigureAwait(false))
        {
            yield return piece.Text;
        }

        run.OutputTokens = generation.GeneratedTokens;
        run.TokenLogProbabilities = [.. generation.TokenLogProbabilities];

        // A stop sequence ends the answer as the model's own end of sequence does; running out of output tokens or of
        // context positions cuts it short.
        run.FinishReason = generation.StopReason is SingleModelGeneration.EndOfSequence or SingleModelGeneration.StopString ? ChatFinishReason.Stop : ChatFinishReason.Length;
    }

    /// <summary>One call's state: what it decodes from, and what it has produced so far.</summary>
    private sealed class ChatRun(int[] promptTokens, SamplingOptions sampling)
    {
        public int[] PromptTokens { get; } = promptTokens;

        public SamplingOptions Sampling { get; } = sampling;

        public string ResponseId { get; } = "chatcmpl-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);

        public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;

        public int OutputTokens { get; set; }

        public ChatFinishReason? FinishReason { get; set; }

        public double[] TokenLogProbabilities { get; set; } = [];

        /// <summary>
        /// The answer's token log-probabilities (under the model's raw distribution, before sampling transforms) as
        /// <see cref="ChatLogProbabilities"/> names them, so confidence-based strategies (cascade's logprob scorer)
        /// work with local members; an empty answer has no mean.
        /// </summary>
        public AdditionalPropertiesDictionary LogProbabilityProperties()
        {
            var properties = new AdditionalPropertiesDictionary { [ChatLogProbabilities.TokensKey] = TokenLogProbabilities };
            if (TokenLogProbabilities.Length > 0)
            {
                properties[ChatLogProbabilities.MeanKey] = TokenLogProbabilities.Average();
            }

            return properties;
        }

        public UsageDetails Usage() => new()
        {
            InputTokenCount = PromptTokens.Length,
            OutputTokenCount = OutputTokens,
            TotalTokenCount = PromptTokens.Length + OutputTokens,
        };
    }
}
