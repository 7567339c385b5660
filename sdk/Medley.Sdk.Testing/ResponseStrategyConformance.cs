using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medley.Sdk.Testing;

/// <summary>Checks an <see cref="IResponseStrategy"/> with scripted <see cref="ConformanceChatClient"/> members.</summary>
public static class ResponseStrategyConformance
{
    /// <summary>
    /// Checks: the strategy's client returns a non-empty response; streaming text concatenated equals the non-streaming
    /// text; two requests give the same text; the request's messages are left untouched; with one failing member it still
    /// answers (where a role takes several members); with every member failing it throws <see cref="MedleyException"/>,
    /// not the members' raw exception; an already cancelled token ends both calls with <see cref="OperationCanceledException"/>.
    /// </summary>
    /// <param name="strategy">The strategy under test.</param>
    /// <param name="options">Roles, parameters and the scripted reply; defaults when <see langword="null"/>.</param>
    /// <returns>A task that completes when the check passes.</returns>
    /// <exception cref="ConformanceException">Listing every broken rule.</exception>
    public static async Task CheckAsync(IResponseStrategy strategy, ResponseConformanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        options ??= new ResponseConformanceOptions();
        var subject = $"response strategy {strategy.GetType().FullName}";
        var violations = new ViolationList();
        var roles = options.MemberRoles;

        var healthy = CreateClient(strategy, options, roles.Select(_ => new ConformanceChatClient(options.Reply)).ToList(), violations);
        if (healthy is null)
        {
            violations.ThrowIfAny(subject);
            return;
        }

        var messages = Conversation();
        var text = await TryAskAsync(healthy, messages, "a request to healthy members", violations).ConfigureAwait(false);
        if (text is not null && string.IsNullOrWhiteSpace(text))
        {
            violations.Add("a request to healthy members returned an empty response.");
        }

        if (!SameConversation(messages, Conversation()))
        {
            violations.Add("the strategy changed the request's messages; they belong to the caller.");
        }

        var again = await TryAskAsync(healthy, Conversation(), "a second request", violations).ConfigureAwait(false);
        if (text is not null && again is not null && text != again)
        {
            violations.Add($"two requests to the same deterministic members answered differently (\"{text}\" then \"{again}\").");
        }

        try
        {
            var streamed = new System.Text.StringBuilder();
            await foreach (var update in healthy.GetStreamingResponseAsync(Conversation()).ConfigureAwait(false))
            {
                streamed.Append(update.Text);
            }

            if (text is not null && streamed.ToString() != text)
            {
                violations.Add($"the streamed text \"{streamed}\" differs from the non-streaming text \"{text}\".");
            }
        }
        catch (Exception ex)
        {
            violations.Add($"a streaming request to healthy members threw {ex.GetType().Name}: {ex.Message}");
        }

        await CancellationProbe.CheckAsync("GetResponseAsync", token => healthy.GetResponseAsync(Conversation(), cancellationToken: token), options.CancellationBound, violations)
            .ConfigureAwait(false);
        await CancellationProbe.CheckAsync(
                "GetStreamingResponseAsync",
                async token =>
                {
                    await foreach (var update in healthy.GetStreamingResponseAsync(Conversation(), cancellationToken: token).ConfigureAwait(false))
                    {
                        _ = update;
                    }
                },
                options.CancellationBound,
                violations)
            .ConfigureAwait(false);

        var pooled = roles.GroupBy(r => r, StringComparer.Ordinal).Any(g => g.Count() > 1);
        if (options.SurvivesOneFailingMember ?? pooled)
        {
            var oneDown = roles.Select((_, i) => i == 0 ? ConformanceChatClient.Failing() : new ConformanceChatClient(options.Reply)).ToList();
            if (CreateClient(strategy, options, oneDown, violations) is { } client)
            {
                await TryAskAsync(client, Conversation(), "a request with the first member failing", violations).ConfigureAwait(false);
            }
        }

        if (CreateClient(strategy, options, roles.Select(_ => ConformanceChatClient.Failing()).ToList(), violations) is { } broken)
        {
            try
            {
                await broken.GetResponseAsync(Conversation()).ConfigureAwait(false);
                violations.Add("a request with every member failing returned a response; it must throw MedleyException.");
            }
            catch (MedleyException)
            {
                // The contract: the host reports a MedleyException with its code and message to the user.
            }
            catch (Exception ex)
            {
                violations.Add($"a request with every member failing threw {ex.GetType().Name} ({ex.Message}); it must throw MedleyException with a stable code.");
            }
        }

        violations.ThrowIfAny(subject);
    }

    private static IChatClient? CreateClient(IResponseStrategy strategy, ResponseConformanceOptions options, List<ConformanceChatClient> clients, ViolationList violations)
    {
        var members = clients.Select((client, i) => new ResponseMember($"{options.MemberRoles[i]}-{i}", options.MemberRoles[i], client, StrategyParameters.Empty)).ToList();
        try
        {
            return strategy.CreateClient(new ResponseStrategyContext(members, options.Parameters, new StrategyCounters(), NullLoggerFactory.Instance, TimeProvider.System));
        }
        catch (Exception ex)
        {
            violations.Add($"CreateClient threw {ex.GetType().Name} for members [{string.Join(", ", options.MemberRoles)}]: {ex.Message}");
            return null;
        }
    }

    private static async Task<string?> TryAskAsync(IChatClient client, List<ChatMessage> messages, string what, ViolationList violations)
    {
        try
        {
            return (await client.GetResponseAsync(messages).ConfigureAwait(false)).Text;
        }
        catch (Exception ex)
        {
            violations.Add($"{what} threw {ex.GetType().Name}: {ex.Message}");
            return null;
        }
    }

    private static List<ChatMessage> Conversation() =>
    [
        new(ChatRole.System, "Answer briefly."),
        new(ChatRole.User, "What is 6 times 7?"),
    ];

    private static bool SameConversation(List<ChatMessage> actual, List<ChatMessage> expected) =>
        actual.Count == expected.Count && actual.Zip(expected).All(p => p.First.Role == p.Second.Role && p.First.Text == p.Second.Text);
}
