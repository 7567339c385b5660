using System.Text.Json;
using Medley.Host.Responses;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;

namespace Medley.ResponseEndToEnd.Tests;

/// <summary>
/// Each response strategy over real skills models, once with local members and once with the same models served by a
/// second Medley process and reached through the OpenAI client: real answers, the same answers both ways (greedy), and
/// the remote members' accounting.
/// </summary>
[Collection(ServedSkillsCollection.Name)]
public sealed class ResponseStrategyEndToEndTests(ServedSkills skills, ITestOutputHelper output)
{
    private static readonly bool[] Placements = [false, true];

    [Fact]
    public async Task Vote_over_two_ft_add_members_and_base_answers_additions_correctly_locally_and_remotely()
    {
        var tasks = Tasks("add", 3);
        SkillsMember[] members = [new("member", "ft-add", "add1"), new("member", "ft-add", "add2"), new("member", "base", "base")];
        var answers = new Dictionary<bool, List<string>>();
        foreach (var remote in Placements)
        {
            using var run = await SkillsRuns.CreateAsync(skills, "vote", remote, members);
            answers[remote] = [];
            foreach (var (prompt, expected) in tasks)
            {
                var response = await SkillsRuns.AskAsync(run, prompt);
                Log(remote, prompt, response, run);
                Assert.Equal(expected, response.Text.Trim());
                Assert.StartsWith("add", SkillsRuns.Winner(response), StringComparison.Ordinal);
                answers[remote].Add(response.Text);
            }

            AssertAccounting(run, remote, members.Select(m => m.Name), calls: tasks.Count);
        }

        Assert.Equal(answers[false], answers[true]);
    }

    [Fact]
    public async Task Mbr_over_two_ft_add_members_and_base_picks_the_consensus_sum_locally_and_remotely()
    {
        var tasks = Tasks("add", 3);
        SkillsMember[] members = [new("member", "base", "base"), new("member", "ft-add", "add1"), new("member", "ft-add", "add2")];
        var answers = new Dictionary<bool, List<string>>();
        foreach (var remote in Placements)
        {
            using var run = await SkillsRuns.CreateAsync(skills, "mbr", remote, members);
            answers[remote] = [];
            foreach (var (prompt, expected) in tasks)
            {
                var response = await SkillsRuns.AskAsync(run, prompt);
                Log(remote, prompt, response, run);
                Assert.Equal(expected, response.Text.Trim());
                answers[remote].Add(response.Text);
            }

            AssertAccounting(run, remote, members.Select(m => m.Name), calls: tasks.Count);
        }

        Assert.Equal(answers[false], answers[true]);
    }

    [Fact]
    public async Task Router_by_rules_sends_additions_to_ft_add_and_subtractions_to_ft_sub_locally_and_remotely()
    {
        var (addPrompt, addAnswer) = await CompetentTaskAsync("ft-add", "add");
        var (subPrompt, subAnswer) = await CompetentTaskAsync("ft-sub", "sub");
        SkillsMember[] members = [new("member", "ft-add", "add"), new("member", "ft-sub", "sub"), new("member", "base", "base")];
        const string Rules = """{ "mode": "rules", "rules": [ { "pattern": "\\+", "member": "add" }, { "keywords": ["-"], "member": "sub" } ], "default": "base" }""";
        var answers = new Dictionary<bool, List<string>>();
        foreach (var remote in Placements)
        {
            using var run = await SkillsRuns.CreateAsync(skills, "router", remote, members, Rules);
            var sum = await SkillsRuns.AskAsync(run, addPrompt);
            var difference = await SkillsRuns.AskAsync(run, subPrompt);
            Log(remote, addPrompt, sum, run);
            Log(remote, subPrompt, difference, run);

            Assert.Equal(addAnswer, sum.Text.Trim());
            Assert.Equal(subAnswer, difference.Text.Trim());
            Assert.Equal(1, run.Counters()["routed_to.add"]);
            Assert.Equal(1, run.Counters()["routed_to.sub"]);
            Assert.Equal(0, SkillsRuns.Usage(run, "base").Calls);
            AssertAccounting(run, remote, ["add", "sub"], calls: 1);
            answers[remote] = [sum.Text, difference.Text];
        }

        Assert.Equal(answers[false], answers[true]);
    }

    [Fact]
    public async Task Cascade_escalates_from_base_to_ft_add_when_base_disagrees_with_itself_locally_and_remotely()
    {
        var (prompt, expected) = Tasks("add", 2)[1];
        Assert.Equal(expected, (await SkillsRuns.DirectAsync(skills, "ft-add", new ChatMessage(ChatRole.User, prompt))).Text.Trim());
        SkillsMember[] members = [new("member", "base", "base"), new("member", "ft-add", "add")];
        // Unanimity among three hot samples (2 is the most an OpenAI-compatible server accepts): base's seeded samples
        // disagree, so the cascade must escalate.
        const string Parameters = """{ "scorer": "agreement", "samples": 3, "temperature": 2.0, "threshold": 1.0 }""";
        var answers = new Dictionary<bool, string>();
        foreach (var remote in Placements)
        {
            using var run = await SkillsRuns.CreateAsync(skills, "cascade", remote, members, Parameters, "{ temperature: 0, max_tokens: 8, seed: 11 }");
            var response = await SkillsRuns.AskAsync(run, prompt);
            Log(remote, prompt, response, run);

            Assert.Equal(expected, response.Text.Trim());
            Assert.Equal(1, run.Counters()["escalations"]);
            Assert.Equal(1, run.Counters()["answered_by.add"]);
            Assert.False(run.Counters().ContainsKey("failed_members"), "a member failed: the escalation was not the scorer's doing");
            Assert.Equal(3, SkillsRuns.Usage(run, "base").Calls);
            AssertAccounting(run, remote, ["base", "add"], calls: null);
            answers[remote] = response.Text;
        }

        Assert.Equal(answers[false], answers[true]);
    }

    [Fact]
    public async Task Pairwise_rank_with_base_as_judge_returns_a_candidate_and_unreadable_verdicts_tie_to_the_first()
    {
        // An item where ft-add and base answer differently, so which candidate won is visible.
        var (prompt, _) = Tasks("add", 2)[1];
        SkillsMember[] members = [new("member", "ft-add", "add"), new("member", "base", "base"), new("judge", "base", "judge")];
        var candidates = new[] { (await SkillsRuns.DirectAsync(skills, "ft-add", new ChatMessage(ChatRole.User, prompt))).Text, (await SkillsRuns.DirectAsync(skills, "base", new ChatMessage(ChatRole.User, prompt))).Text };
        Assert.NotEqual(candidates[0], candidates[1]);
        var answers = new Dictionary<bool, string>();
        foreach (var remote in Placements)
        {
            // The judge prompt keeps to the skills vocabulary (digits, '+', '-', '=') so that base can read it at all.
            using var run = await SkillsRuns.CreateAsync(skills, "pairwise-rank", remote, members, """{ "judge_prompt": "{instruction}{candidate_a}-{candidate_b}=" }""");
            var response = await SkillsRuns.AskAsync(run, prompt);
            Log(remote, prompt, response, run);
            var counters = run.Counters();

            Assert.Contains(response.Text, candidates);
            // Two candidates, both orders: two judge calls. A skills model cannot write a verdict, so every reply
            // is a tie (half a point each) and max_wins' documented tie rule keeps the earliest candidate.
            Assert.Equal(2, SkillsRuns.Usage(run, "judge").Calls);
            Assert.Equal(2, counters["tied_verdicts"]);
            Assert.Equal(candidates[0], response.Text);
            Assert.Equal("add", SkillsRuns.Winner(response));
            AssertAccounting(run, remote, ["add", "base", "judge"], calls: null);
            answers[remote] = response.Text;
        }

        Assert.Equal(answers[false], answers[true]);
    }

    [Fact]
    public async Task Mixture_of_agents_returns_the_aggregators_answer_to_a_prompt_carrying_the_proposals_locally_and_remotely()
    {
        var (prompt, _) = Tasks("add", 1)[0];
        SkillsMember[] members = [new("proposer", "ft-add", "add"), new("proposer", "base", "base"), new("aggregator", ServedSkills.WideModel, "aggregator")];
        // The template is only the numbered proposals, so the aggregator's raw prompt can be written out here exactly.
        const string Parameters = """{ "layers": 1, "aggregate_prompt": "{responses}" }""";
        var proposals = new[] { (await SkillsRuns.DirectAsync(skills, "ft-add", new ChatMessage(ChatRole.User, prompt))).Text, (await SkillsRuns.DirectAsync(skills, "base", new ChatMessage(ChatRole.User, prompt))).Text };
        // The aggregator is the wide-vocabulary model: the skills vocabulary has no '.', space or newline to read the proposals with.
        var expected = await SkillsRuns.DirectAsync(
            skills, ServedSkills.WideModel, new ChatMessage(ChatRole.System, $"1. {proposals[0]}\n2. {proposals[1]}"), new ChatMessage(ChatRole.User, prompt));
        var bare = await SkillsRuns.DirectAsync(skills, ServedSkills.WideModel, new ChatMessage(ChatRole.User, prompt));
        var answers = new Dictionary<bool, string>();
        foreach (var remote in Placements)
        {
            using var run = await SkillsRuns.CreateAsync(skills, "mixture-of-agents", remote, members, Parameters);
            var response = await SkillsRuns.AskAsync(run, prompt);
            Log(remote, prompt, response, run);
            var aggregator = SkillsRuns.Usage(run, "aggregator");

            Assert.Equal(expected.Text, response.Text);
            Assert.Equal(1, aggregator.Calls);
            // The aggregator read the proposals: its prompt is exactly "1. …\n2. …\n" + the question, longer than the question.
            Assert.Equal(expected.Usage!.InputTokenCount, aggregator.InputTokens);
            Assert.True(aggregator.InputTokens > bare.Usage!.InputTokenCount, $"aggregator read {aggregator.InputTokens} tokens, the bare question is {bare.Usage.InputTokenCount}");
            AssertAccounting(run, remote, ["add", "base", "aggregator"], calls: 1);
            answers[remote] = response.Text;
        }

        Assert.Equal(answers[false], answers[true]);
    }

    // The first of a task's first ten items that the model answers correctly on its own: where it is competent.
    private async Task<(string Prompt, string Answer)> CompetentTaskAsync(string model, string task)
    {
        foreach (var (prompt, answer) in Tasks(task, 10))
        {
            if ((await SkillsRuns.DirectAsync(skills, model, new ChatMessage(ChatRole.User, prompt))).Text.Trim() == answer)
            {
                return (prompt, answer);
            }
        }

        throw new InvalidOperationException($"{model} answers none of the first ten {task} items correctly.");
    }

    private List<(string Prompt, string Answer)> Tasks(string task, int count) =>
        File.ReadLines(Path.Combine(skills.Skills, "tasks", task + ".jsonl"))
            .Take(count)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(item => (item.GetProperty("prompt").GetString()!, item.GetProperty("answer").GetString()!))
            .ToList();

    // Every member that was asked made real calls that came back with token counts; remote ones through the server.
    private static void AssertAccounting(RunChatClient run, bool remote, IEnumerable<string> names, int? calls)
    {
        foreach (var name in names)
        {
            var usage = SkillsRuns.Usage(run, name);
            if (calls is { } expected)
            {
                Assert.Equal(expected, usage.Calls);
            }

            Assert.True(usage.Calls > 0, $"{name} was never called");
            Assert.Equal(0, usage.Failures);
            Assert.True(usage.InputTokens > 0, $"{name} ({(remote ? "remote" : "local")}) counted no input tokens");
            Assert.True(usage.OutputTokens > 0, $"{name} ({(remote ? "remote" : "local")}) counted no output tokens");
            Assert.Equal(remote, usage.Location.Contains(" @ http://127.0.0.1:", StringComparison.Ordinal));
        }
    }

    private void Log(bool remote, string prompt, ChatResponse response, RunChatClient run) =>
        output.WriteLine(
            $"{run.Strategy} {(remote ? "remote" : "local")}: {prompt} -> '{response.Text}' winner={SkillsRuns.Winner(response)} "
            + string.Join(", ", run.Counters().OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}")));
}
