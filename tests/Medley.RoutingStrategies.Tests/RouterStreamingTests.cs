using System.Runtime.CompilerServices;
using Medley.Ensemble.Router;
using Medley.ResponseStrategies.Tests.Support;
using Medley.RoutingStrategies.Tests.Support;
using Medley.Sdk;
using Microsoft.Extensions.AI;

namespace Medley.RoutingStrategies.Tests;

public sealed class RouterStreamingTests
{
    [Fact]
    public async Task The_chosen_members_updates_stream_through_with_the_winner_on_the_first()
    {
        var ensemble = new TestEnsemble().Member("a", new ScriptedChatClient("no")).Member("b", new ChunkedChatClient("12", "3", "57"));
        var client = ensemble.Build(new RouterStrategy(), """{"rules":[{"keywords":["+"],"member":"b"}]}""");

        var updates = await client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "12+345=")]).ToListAsync();

        Assert.Equal(["12", "3", "57"], updates.Select(u => u.Text));
        Assert.Equal("b", updates[0].AdditionalProperties!["medley.winner"]);
        var whole = updates.ToChatResponse();
        Assert.Equal("12357", whole.Text);
        Assert.Equal("b", whole.Messages[0].AdditionalProperties?["medley.winner"]);
        Assert.Equal(1, ensemble.Counters.Get("routed_to.b"));
    }

    [Fact]
    public async Task A_member_failing_before_its_first_update_falls_back_to_the_default()
    {
        var ensemble = new TestEnsemble().Member("a", new ChunkedChatClient("fine")).Member("b", new FailingChatClient());
        var client = ensemble.Build(new RouterStrategy(), """{"rules":[{"keywords":["+"],"member":"b"}]}""");

        var updates = await client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "1+1=")]).ToListAsync();

        Assert.Equal("fine", updates.ToChatResponse().Text);
        Assert.Equal("a", updates[0].AdditionalProperties!["medley.winner"]);
        Assert.Equal((1, 1), (ensemble.Counters.Get("fallbacks"), ensemble.Counters.Get("routed_to.a")));
        Assert.Contains("'b'", Assert.Single(ensemble.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_default_member_failing_while_streaming_is_an_error()
    {
        var client = new TestEnsemble().Member("a", new FailingChatClient()).Build(new RouterStrategy(), "{}");
        var error = await Assert.ThrowsAsync<MedleyException>(async () => await client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "x")]).ToListAsync());
        Assert.Equal("router.member_failed", error.Code);
    }

    /// <summary>Streams its text in the given pieces.</summary>
    private sealed class ChunkedChatClient : IChatClient
    {
        private readonly string[] _pieces;

        public ChunkedChatClient(params string[] pieces) => _pieces = pieces;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Concat(_pieces))));

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var piece in _pieces)
            {
                await Task.Yield();
                yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { MessageId = "m" };
            }
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
