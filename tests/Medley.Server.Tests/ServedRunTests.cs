using System.ClientModel;
using System.Text;
using Medley.Chat.Tests;
using Medley.Host.Chat;
using Medley.Host.Hosting;
using Medley.Runtime.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;
using AI = Microsoft.Extensions.AI;

namespace Medley.Server.Tests;

/// <summary>A run config served under its file name, answering OpenAI's own client.</summary>
public sealed class ServedRunTests(ChatModelFixture fixture) : IClassFixture<ChatModelFixture>
{
    [Fact]
    public async Task A_vote_run_over_two_tiny_chat_models_is_served_under_its_file_name_plain_and_streaming()
    {
        using var temp = new TempFolder();
        var runFile = temp.Combine("tiny-vote.yml");
        File.WriteAllText(runFile, $"strategy: vote\nmodels:\n  member:\n    - {{ path: '{fixture.ModelPath}', name: a }}\n    - {{ path: '{fixture.ModelPath}', name: b }}\n");
        await using var host = MedleyHost.CreateDefault(options =>
        {
            options.PluginDirectories.Add(Path.Combine(AppContext.BaseDirectory, "plugins"));
            options.UseDefaultPluginLocations = false;
        });
        var registry = new ServedModelRegistry();
        var id = ServedModelSources.AddRunConfig(registry, runFile, host.Plugins, host.Services.GetRequiredService<ILoggerFactory>());
        Assert.Equal("tiny-vote", id);

        await using var server = await MedleyServer.StartAsync(registry, new MedleyServerOptions { Urls = { "http://127.0.0.1:0" } }, CancellationToken.None);
        var client = new ChatClient(id, new ApiKeyCredential("no-key"), new OpenAIClientOptions { Endpoint = new Uri(server.Urls.Single() + "/v1") });
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 10 };
        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("hello")], options);
        var streamed = new StringBuilder();
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("hello")], options))
        {
            streamed.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
        }

        // Both members are the same greedy model, so the vote's answer is that model's own answer.
        using var direct = new OnnxChatClient(fixture.Model, "direct");
        var expected = await direct.GetResponseAsync([new AI.ChatMessage(AI.ChatRole.User, "hello")], new AI.ChatOptions { Temperature = 0, MaxOutputTokens = 10 });
        Assert.False(string.IsNullOrEmpty(expected.Text));
        Assert.Equal(expected.Text, completion.Content.Single().Text);
        Assert.Equal(expected.Text, streamed.ToString());
    }
}
