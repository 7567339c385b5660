using System.Text;
using System.Text.Json.Nodes;
using Medley.Host.Chat;
using Medley.Host.Responses;
using Medley.Host.Running;
using Medley.Host.Runtime;
using Medley.Host.Tokenization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Medley.ResponseEndToEnd.Tests;

/// <summary>
/// Writes a run config whose members are all local skills models (raw prompts) or all the same models reached through
/// the served process, builds it with <see cref="RunChatClients"/>, and asks single models directly for the expected
/// answers.
/// </summary>
internal static class SkillsRuns
{
    // Greedy, and long enough for any skills answer plus its end-of-sequence token.
    public const string GreedySampling = "{ temperature: 0, max_tokens: 8 }";

    public static Task<RunChatClient> CreateAsync(
        ServedSkills skills, string strategy, bool remote, IEnumerable<SkillsMember> members, string parameters = "{}", string sampling = GreedySampling)
    {
        var yaml = new StringBuilder();
        yaml.Append("strategy: ").AppendLine(strategy).AppendLine("models:");
        foreach (var role in members.GroupBy(m => m.Role))
        {
            yaml.Append("  ").Append(role.Key).AppendLine(":");
            foreach (var member in role)
            {
                var where = remote
                    ? $"endpoint: '{skills.Endpoint}', model: {member.Model}, api_key_env: {ServedSkills.KeyVariable}"
                    : $"path: '{skills.ModelPath(member.Model)}', prompt_format: raw";
                var extra = member.Extra.Length > 0 ? ", " + member.Extra : string.Empty;
                yaml.Append("    - { ").Append(where).Append(", name: ").Append(member.Name).Append(extra).AppendLine(" }");
            }
        }

        // JSON is YAML: parameters are written as the JSON the strategy's schema describes.
        yaml.Append("parameters: ").AppendLine(JsonNode.Parse(parameters)!.ToJsonString());
        yaml.Append("sampling: ").AppendLine(sampling);
        var file = Path.Combine(skills.Folder, $"{strategy}-{(remote ? "remote" : "local")}-{Guid.NewGuid():N}.yml");
        File.WriteAllText(file, yaml.ToString());
        return RunChatClients.CreateAsync(
            skills.Host.Plugins, RunConfigReader.Read(file), skills.Host.Services.GetRequiredService<ILoggerFactory>(), CancellationToken.None);
    }

    public static async Task<ChatResponse> AskAsync(RunChatClient run, string prompt) =>
        await run.Client.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], options: null, CancellationToken.None);

    /// <summary>One skills model's own greedy answer to a conversation, through a fresh local raw-prompt client.</summary>
    public static async Task<ChatResponse> DirectAsync(ServedSkills skills, string model, params ChatMessage[] conversation)
    {
        using var client = new OnnxChatClient(
            OnnxCausalLanguageModel.Load(new OnnxModelOptions { Path = skills.ModelPath(model), TokenizerFactory = HfTokenizerLoader.Load }),
            model,
            ownsModel: true,
            ChatPromptFormat.Raw);
        return await client.GetResponseAsync(conversation, new ChatOptions { Temperature = 0, MaxOutputTokens = 8 }, CancellationToken.None);
    }

    public static string? Winner(ChatResponse response) =>
        response.AdditionalProperties?.TryGetValue(ResponseProperties.Winner, out var winner) == true ? winner as string : null;

    public static MemberUsage Usage(RunChatClient run, string name) => run.Members().Single(m => m.Name == name);
}
