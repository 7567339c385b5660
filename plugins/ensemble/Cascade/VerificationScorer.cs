using Medley.Sdk;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Ensemble.Cascade;

/// <summary>
/// Self-verification (AutoMix): the member answers once, then the verifier (the <c>verifier</c> member, else the
/// answering member itself) is asked <c>verifications</c> times whether the answer is correct; the answer is accepted
/// when the share of "yes" reaches the threshold. A reply that says neither yes nor no counts as no; a verifier that
/// fails rejects the answer, with a warning.
/// </summary>
internal sealed class VerificationScorer : IAnswerScorer
{
    public const string DefaultTemplate =
        "Question:\n{question}\n\nProposed answer:\n{answer}\n\nIs the proposed answer correct? Reply with yes or no.";

    private readonly CascadeMember? _verifier;
    private readonly string _template;
    private readonly int _verifications;
    private readonly double _temperature;
    private readonly double _threshold;
    private readonly StrategyCounters _counters;
    private readonly ILogger _logger;

    public VerificationScorer(CascadeMember? verifier, string template, int verifications, double temperature, double threshold, StrategyCounters counters, ILogger logger)
    {
        _verifier = verifier;
        _template = template;
        _verifications = verifications;
        _temperature = temperature;
        _threshold = threshold;
        _counters = counters;
        _logger = logger;
    }

    public async Task<ScoredAnswer> AnswerAsync(CascadeMember member, MemberCalls calls, IReadOnlyList<ChatMessage> conversation, ChatOptions? options, CancellationToken cancellationToken)
    {
        var response = await calls.AskAsync(member, conversation, options, cancellationToken).ConfigureAwait(false);
        var question = conversation.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? string.Empty;
        var prompt = _template.Replace("{question}", question, StringComparison.Ordinal).Replace("{answer}", response.Text, StringComparison.Ordinal);
        var verifier = _verifier ?? member;

        // One verification is a plain judgement; several are samples, which only differ at a temperature.
        var verifyOptions = new ChatOptions { Temperature = _verifications == 1 ? 0 : (float)_temperature };
        var yes = 0;
        for (var i = 0; i < _verifications; i++)
        {
            _counters.Add("verifier_calls");
            try
            {
                var reply = await verifier.Member.Client.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], verifyOptions, cancellationToken).ConfigureAwait(false);
                yes += VerifierVerdict.Parse(reply.Text) == true ? 1 : 0;
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested)
            {
                _counters.Add("verifier_failures");
                _logger.LogWarning(error, "Verifier '{Verifier}' failed on member '{Member}''s answer, which is therefore not accepted: {Message}", verifier.Name, member.Name, error.Message);
            }
        }

        var share = (double)yes / _verifications;
        return new ScoredAnswer(response, share >= _threshold, share);
    }
}
