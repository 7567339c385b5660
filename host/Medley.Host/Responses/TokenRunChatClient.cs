using System.Globalization;
using System.Runtime.CompilerServices;
using Medley.Host.Chat;
using Medley.Host.Plugins;
using Medley.Host.Running;
using Medley.Sdk;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Host.Responses;

/// <summary>
/// A token-level run (step or decoding strategy) as a chat client: the messages become a prompt through the first
/// member's chat template (or raw, as that member's <c>prompt_format</c> says), the request's options override the
/// run's sampling, and the text streams from <see cref="StrategyRunner"/> as <c>medley run</c> streams it.
/// </summary>
internal sealed class TokenRunChatClient : IChatClient
{
    // Each run resets and reads the members' shared forward counters, so requests take turns.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly PluginCatalog _catalog;
    private readonly RunPlan _plan;
    private readonly LoadedMembers _members;
    private readonly IReadOnlyList<MemberAccount> _accounts;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ChatClientMetadata _metadata;

    public TokenRunChatClient(PluginCatalog catalog, RunPlan plan, LoadedMembers members, IReadOnlyList<MemberAccount> accounts, ILogger logger, TimeProvider time)
    {
        _catalog = catalog;
        _plan = plan;
        _members = members;
        _accounts = accounts;
        _logger = logger;
        _time = time;
        _metadata = new ChatClientMetadata("medley-run", providerUri: null, defaultModelId: plan.Strategy.Name);
        // Fails early (vocabulary mismatch of a step strategy) rather than on the first request.
        _ = new StrategyRunner(plan, members, logger);
    }

    /// <summary>The last request's strategy counters.</summary>
    public IReadOnlyDictionary<string, double> LastCounters { get; private set; } = new Dictionary<string, double>();

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var prompt = Prompt(messages, options);
        var plan = options is null
            ? _plan
            : RunPlan.Create(_catalog, _plan.Config with { Sampling = ChatSamplingOptions.From(options, _plan.Strategy.Name, _plan.Config.Sampling) });
        var id = "chatcmpl-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        var created = DateTimeOffset.UtcNow;
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        var statistics = new RunStatistics();
        var start = _time.GetTimestamp();
        var failed = false;
        try
        {
            var runner = new StrategyRunner(plan, _members, _logger);
            var pieces = runner.RunAsync(prompt, statistics, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (true)
                {
                    try
                    {
                        if (!await pieces.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (Exception) when (!cancellationToken.IsCancellationRequested)
                    {
                        failed = true;
                        throw;
                    }

                    yield return Update(id, created, [new TextContent(pieces.Current.Text)]);
                }
            }
            finally
            {
                await pieces.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            LastCounters = statistics.Counters;
            var latency = _time.GetElapsedTime(start);
            var usage = new UsageDetails { InputTokenCount = statistics.PromptTokens, OutputTokenCount = statistics.GeneratedTokens };
            foreach (var account in _accounts)
            {
                account.RecordAttempt();
                account.RecordCall(latency, usage, failed);
            }

            _turn.Release();
        }

        // Finish reason and usage are known only at the end, so they travel on a last, text-free update.
        var last = Update(id, created, [new UsageContent(new UsageDetails
        {
            InputTokenCount = statistics.PromptTokens,
            OutputTokenCount = statistics.GeneratedTokens,
            TotalTokenCount = statistics.PromptTokens + statistics.GeneratedTokens,
        })]);
        last.FinishReason = statistics.StopReason is "max-tokens" or "context-length" ? ChatFinishReason.Length : ChatFinishReason.Stop;
        yield return last;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(ChatClientMetadata) ? _metadata : serviceType.IsInstanceOfType(this) ? this : null;
    }

    // The loaded members belong to the run's chat client, which disposes them.
    public void Dispose() => _turn.Dispose();

    private ChatResponseUpdate Update(string id, DateTimeOffset created, IList<AIContent> contents) => new(ChatRole.Assistant, contents)
    {
        ResponseId = id,
        MessageId = id,
        ModelId = _plan.Strategy.Name,
        CreatedAt = created,
    };

    private string Prompt(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var conversation = new List<ChatMessage>();
        if (!string.IsNullOrWhiteSpace(options?.Instructions))
        {
            conversation.Add(new ChatMessage(ChatRole.System, options.Instructions));
        }

        conversation.AddRange(messages);
        if (conversation.Count == 0)
        {
            throw new MedleyException(ChatErrorCodes.NoMessages, $"The request to run '{_plan.Strategy.Name}' has no messages: give at least one.");
        }

        var first = _plan.Config.Members[0];
        return first.PromptFormat == ChatPromptFormat.Raw
            ? OnnxChatClient.RawPrompt(conversation)
            : _members.Members[0].Model.Tokenizer.ApplyChatTemplate(conversation, addGenerationPrompt: true);
    }
}
