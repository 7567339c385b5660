using Medley.Sdk;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Company.Plugin.Tests;

public sealed class FirstAnswerStrategyTests
{
    private static IChatClient Create(params ResponseMember[] members) =>
        new FirstAnswerStrategy().CreateClient(new ResponseStrategyContext(
            members, StrategyParameters.Empty, new StrategyCounters(), NullLoggerFactory.Instance, TimeProvider.System));

    private static ResponseMember Member(string name, Func<ChatResponse> answer) =>
        new(name, "member", new ScriptedChatClient(answer), StrategyParameters.Empty);

    [Fact]
    public async Task The_first_non_empty_answer_wins()
    {
        var client = Create(
            Member("empty", () => new ChatResponse(new ChatMessage(ChatRole.Assistant, "   "))),
            Member("second", () => new ChatResponse(new ChatMessage(ChatRole.Assistant, "42"))),
            Member("third", () => new ChatResponse(new ChatMessage(ChatRole.Assistant, "7"))));

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "6*7=")]);

        Assert.Equal("42", response.Text);
    }

    [Fact]
    public async Task A_failing_member_is_skipped()
    {
        var client = Create(
            Member("down", () => throw new HttpRequestException("connection refused")),
            Member("up", () => new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))));

        var text = string.Concat(await client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")]).Select(u => u.Text).ToListAsync());

        Assert.Equal("ok", text);
    }

    [Fact]
    public async Task No_answer_at_all_names_the_members()
    {
        var client = Create(Member("silent", () => new ChatResponse(new ChatMessage(ChatRole.Assistant, ""))));

        var error = await Assert.ThrowsAsync<MedleyException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")]));

        Assert.Equal("response.no_answer", error.Code);
        Assert.Contains("silent", error.Message, StringComparison.Ordinal);
    }
}
