using Medley.Host.Evaluation;
using Medley.Sdk;
using Medley.Sdk.Models;
using Microsoft.Extensions.AI;

namespace Medley.Host.Responses;

/// <summary>
/// A response-strategy run answering task prompts (<c>medley eval --run</c>): each prompt is one user message to the
/// run's chat client; answers are capped in the first local member's tokens.
/// </summary>
internal sealed class ChatRunAnswerer : IPromptAnswerer
{
    private readonly RunChatClient _run;
    private readonly bool _greedy;

    public ChatRunAnswerer(RunChatClient run, string location, bool greedy)
    {
        _run = run;
        _greedy = greedy;
        Tokenizer = run.Tokenizer ?? throw new MedleyException(
            ResponseErrorCodes.EvalWithoutLocalMember,
            $"Run config '{location}' has no local member: medley eval --run counts answer tokens with the first local member's tokenizer, so a response run needs at least one member with 'path'.");
        Kind = run.Strategy;
        Name = Path.GetFileNameWithoutExtension(location);
        Location = location;
    }

    public string Kind { get; }

    public string Name { get; }

    public string Location { get; }

    public string Device => "members";

    public ITextTokenizer Tokenizer { get; }

    public IReadOnlyDictionary<string, long> Calls => _run.Members().ToDictionary(m => m.Name, m => m.Calls, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, double> Counters => _run.Counters();

    public async ValueTask<AnswerOutcome> AnswerAsync(string prompt, ExactMatch target, int maxTokens, CancellationToken cancellationToken)
    {
        // Without a sampling section a run is scored greedily, as single models are; with one, the run's own settings hold.
        var options = new ChatOptions { MaxOutputTokens = maxTokens, Temperature = _greedy ? 0 : null };
        var response = await _run.Client.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], options, cancellationToken).ConfigureAwait(false);
        var stop = response.FinishReason == ChatFinishReason.Length ? "max-tokens" : "eos";
        return new AnswerOutcome(
            response.Text,
            (int)(response.Usage?.InputTokenCount ?? 0),
            (int)(response.Usage?.OutputTokenCount ?? 0),
            stop);
    }

    public void Dispose() => _run.Dispose();
}
