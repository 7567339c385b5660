using System.ClientModel;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace Medley.ResponseEndToEnd.Tests;

/// <summary><c>medley serve --run</c> in a second process: a vote run answering OpenAI's own client.</summary>
[Collection(ServedSkillsCollection.Name)]
public sealed class ServedRunEndToEndTests(ServedSkills skills)
{
    [Fact]
    public async Task A_vote_run_served_by_medley_serve_answers_additions_correctly_plain_and_streaming()
    {
        var client = new ChatClient(ServedSkills.ServedRun, new ApiKeyCredential("e2e-key"), new OpenAIClientOptions { Endpoint = new Uri(skills.Endpoint) });
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 8 };
        var items = File.ReadLines(Path.Combine(skills.Skills, "tasks", "add.jsonl")).Take(3).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        foreach (var item in items)
        {
            var prompt = item.GetProperty("prompt").GetString()!;
            var answer = item.GetProperty("answer").GetString()!;
            ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage(prompt)], options);
            var streamed = new StringBuilder();
            await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage(prompt)], options))
            {
                streamed.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            }

            Assert.True(answer == completion.Content.Single().Text.Trim(), $"{prompt} answered '{completion.Content.Single().Text}', expected {answer}; server log: {skills.ServerErrors()}");
            Assert.Equal(answer, streamed.ToString().Trim());
        }
    }
}
