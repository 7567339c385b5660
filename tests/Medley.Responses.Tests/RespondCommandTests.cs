using System.Text.Json;
using Medley.Host.Responses;
using Medley.Host.Running;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medley.Responses.Tests;

/// <summary><c>medley respond</c> and <c>medley eval --run</c> with vote over the skills models as raw completion members.</summary>
public sealed class RespondCommandTests : IClassFixture<SkillsModels>
{
    private readonly SkillsModels _models;

    public RespondCommandTests(SkillsModels models) => _models = models;

    [Theory]
    [InlineData("000+002=", "2")]
    [InlineData("065+003=", "68")]
    [InlineData("005+271=", "276")]
    public async Task Vote_over_raw_skills_members_answers_easy_sums_and_reports_each_member(string prompt, string answer)
    {
        var (code, stdout, stderr) = await Support.Medley("respond", WriteRun(), "--prompt", prompt, "--json");

        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(answer, result.GetProperty("answer").GetString()!.Trim());
        Assert.Equal("vote", result.GetProperty("strategy").GetString());
        Assert.Equal("response", result.GetProperty("kind").GetString());
        // Both ft-add copies give the same answer, which outvotes base; ties go to the earliest member.
        Assert.Equal("add1", result.GetProperty("winner").GetString());
        // base joins the majority exactly when its own greedy answer (medley generate on the same raw prompt) is the same.
        var generated = await Support.Medley("generate", "--model", _models.Base, "--prompt", prompt, "--temperature", "0", "--max-tokens", "8", "--json");
        var baseAnswer = JsonDocument.Parse(generated.Stdout).RootElement.GetProperty("text").GetString()!.Trim();
        Assert.Equal(baseAnswer == answer ? 3 : 2, result.GetProperty("counters").GetProperty("winner_votes").GetDouble());
        var members = result.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(["add1", "add2", "base"], members.Select(m => m.GetProperty("name").GetString()!));
        Assert.All(members, m =>
        {
            Assert.Equal("member", m.GetProperty("role").GetString());
            Assert.Equal(1, m.GetProperty("calls").GetInt64());
            Assert.Equal(0, m.GetProperty("failures").GetInt64());
            // The raw prompt is the text itself: one token per character for these character-level models.
            Assert.Equal(prompt.Length, m.GetProperty("inputTokens").GetInt64());
            Assert.True(m.GetProperty("totalLatencySeconds").GetDouble() > 0);
        });
        Assert.Equal([1L, 0L, 0L], members.Select(m => m.GetProperty("wins").GetInt64()));
        // add1 is priced: its generated tokens (the answer, no end-of-sequence) times 1000 per million.
        var outputTokens = members[0].GetProperty("outputTokens").GetInt64();
        Assert.Equal(answer.Length, outputTokens);
        Assert.Equal(((prompt.Length * 100) + (outputTokens * 1000)) / 1e6, members[0].GetProperty("cost").GetDouble(), 12);
    }

    [Fact]
    public async Task Without_json_the_answer_comes_first_then_the_member_table()
    {
        var (code, stdout, stderr) = await Support.Medley("respond", WriteRun(), "--prompt", "000+002=");

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n');
        Assert.Equal("2", lines[0].Trim());
        Assert.Contains(lines, l => l.Contains("add1", StringComparison.Ordinal) && l.Contains("yes", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("base", StringComparison.Ordinal) && !l.Contains("yes", StringComparison.Ordinal));
        Assert.Contains("Mean latency s", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_run_file_exits_with_invalid_input_and_says_so()
    {
        var missing = Path.Combine(_models.Folder, "nope.yml");

        var (code, _, stderr) = await Support.Medley("respond", missing, "--prompt", "1+1=");

        Assert.Equal(3, code);
        Assert.Contains($"Run config '{missing}' does not exist: expected a YAML file.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_run_with_vote_scores_exactly_as_the_member_that_always_wins()
    {
        var run = await Support.Medley("eval", "--run", WriteRun(), "--tasks", _models.AddTasks, "--limit", "6", "--json");
        var single = await Support.Medley("eval", "--model", _models.Add, "--tasks", _models.AddTasks, "--limit", "6", "--json");

        Assert.True(run.Code == 0, run.Stderr);
        Assert.True(single.Code == 0, single.Stderr);
        var runReport = JsonDocument.Parse(run.Stdout).RootElement;
        var singleReport = JsonDocument.Parse(single.Stdout).RootElement;
        Assert.Equal(Correct(singleReport), Correct(runReport));
        Assert.True(Correct(runReport) >= 4, $"ft-add answered {Correct(runReport)} of 6 add items");
    }

    [Fact]
    public async Task A_token_level_run_serves_as_a_chat_client_with_usage_and_finish_reason()
    {
        var config = RunConfigReader.Read(WriteRun("""
            strategy: logit-average
            models:
              member: [{ path: ADD, prompt_format: raw }]
            sampling: { temperature: 0, max_tokens: 8 }
            """.Replace("ADD", _models.Add, StringComparison.Ordinal)));
        await using var host = Support.CreateHost();
        using var run = await RunChatClients.CreateAsync(host.Plugins, config, NullLoggerFactory.Instance, CancellationToken.None);

        var response = await run.Client.GetResponseAsync([new ChatMessage(ChatRole.User, "065+003=")]);
        var capped = await run.Client.GetResponseAsync([new ChatMessage(ChatRole.User, "005+271=")], new ChatOptions { MaxOutputTokens = 1 });

        Assert.Equal(("68", ChatFinishReason.Stop), (response.Text, response.FinishReason));
        Assert.Equal((8L, 2L), (response.Usage!.InputTokenCount!.Value, response.Usage.OutputTokenCount!.Value));
        Assert.Equal(("2", ChatFinishReason.Length), (capped.Text, capped.FinishReason));
        Assert.Equal("step", run.Kind);
        Assert.Equal(2, Assert.Single(run.Members()).Calls);
    }

    private static int Correct(JsonElement report) =>
        report.GetProperty("correct").GetInt32();

    private string WriteRun(string? yaml = null)
    {
        yaml ??= $$"""
            strategy: vote
            models:
              member:
                - { path: '{{_models.Add}}', name: add1, prompt_format: raw, cost: { input_per_million: 100, output_per_million: 1000 } }
                - { path: '{{_models.Add}}', name: add2, prompt_format: raw }
                - { path: '{{_models.Base}}', name: base, prompt_format: raw, timeout_s: 60 }
            sampling: { temperature: 0, max_tokens: 8 }
            """;
        var path = Path.Combine(_models.Folder, $"run-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
