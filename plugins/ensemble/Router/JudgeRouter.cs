using Medley.Sdk;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Ensemble.Router;

/// <summary>
/// Asks the judge member. Without a threshold the judge names the member that should answer; with a two-tier
/// threshold it gives a score in [0, 1] (how much the question needs the strong tier) and the first strong member
/// answers when the score reaches the threshold, else the first weak member. A reply that cannot be read, or a
/// judge that fails, sends the request to the default member with a warning.
/// </summary>
internal sealed class JudgeRouter : IRouteSelector
{
    public const string NamingTemplate =
        "Which assistant should answer the question below? Reply with the assistant's name only.\n\nAssistants:\n{members}\n\nQuestion:\n{question}";

    public const string ScoringTemplate =
        "How much does the question below need the strongest assistant rather than a cheaper one? Reply with one number between 0 (a cheap assistant will do) and 1 (only the strongest will do).\n\nQuestion:\n{question}";

    private readonly IChatClient _judge;
    private readonly string _template;
    private readonly IReadOnlyList<RouterMember> _members;
    private readonly string _defaultMember;
    private readonly double? _threshold;
    private readonly StrategyCounters _counters;
    private readonly ILogger _logger;

    public JudgeRouter(IChatClient judge, string template, IReadOnlyList<RouterMember> members, string defaultMember, double? threshold, StrategyCounters counters, ILogger logger)
    {
        _judge = judge;
        _template = template;
        _members = members;
        _defaultMember = defaultMember;
        _threshold = threshold;
        _counters = counters;
        _logger = logger;
    }

    public async Task<RouteDecision> SelectAsync(string question, CancellationToken cancellationToken)
    {
        var memberList = string.Join("\n", _members.Select(m => m.Description is null ? $"- {m.Name}" : $"- {m.Name}: {m.Description}"));
        var prompt = _template.Replace("{members}", memberList, StringComparison.Ordinal).Replace("{question}", question, StringComparison.Ordinal);
        string reply;
        try
        {
            _counters.Add("judge_calls");
            var response = await _judge.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], new ChatOptions { Temperature = 0 }, cancellationToken).ConfigureAwait(false);
            reply = response.Text;
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            _counters.Add("judge_failures");
            _logger.LogWarning(error, "The judge failed, so member '{Default}' answers: {Message}", _defaultMember, error.Message);
            return new RouteDecision(_defaultMember, null);
        }

        if (_threshold is { } threshold)
        {
            if (JudgeReply.ParseScore(reply) is { } score)
            {
                var tier = score >= threshold ? MemberTier.Strong : MemberTier.Weak;
                return new RouteDecision(_members.First(m => m.Tier == tier).Name, score);
            }
        }
        else if (JudgeReply.ParseMember(reply, _members.Select(m => m.Name).ToList()) is { } named)
        {
            return new RouteDecision(named, null);
        }

        _counters.Add("judge_unparsed");
        _logger.LogWarning("The judge's reply \"{Reply}\" names no member and gives no score, so member '{Default}' answers.", Shorten(reply), _defaultMember);
        return new RouteDecision(_defaultMember, null);
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");
}
