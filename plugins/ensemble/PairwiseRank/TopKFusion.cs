using System.Globalization;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;

namespace Medley.Ensemble.PairwiseRank;

/// <summary>The fuser member's request: the instruction and the top-K candidates, best first, in one prompt.</summary>
internal sealed class TopKFusion
{
    public const string DefaultTemplate =
        """
        Below are a request and the {k} best answers other assistants gave to it, best first. Write one final answer to the request: keep what is correct and useful in them, fix what is wrong, and leave out what is not needed. Reply with the final answer only.

        [Request]
        {instruction}

        [Answers]
        {candidates}
        """;

    private readonly string _template;

    public TopKFusion(ResponseMember fuser, int topK, string template)
    {
        Fuser = fuser;
        TopK = topK;
        _template = template;
    }

    public ResponseMember Fuser { get; }

    public int TopK { get; }

    public List<ChatMessage> Messages(string instruction, IReadOnlyList<string> ranked)
    {
        var top = ranked.Take(TopK).ToList();
        var candidates = string.Join("\n\n", top.Select((text, i) => $"[{(i + 1).ToString(CultureInfo.InvariantCulture)}]\n{text}"));
        var prompt = PromptText.Fill(_template, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["instruction"] = instruction,
            ["candidates"] = candidates,
            ["k"] = top.Count.ToString(CultureInfo.InvariantCulture),
        });
        return [new ChatMessage(ChatRole.User, prompt)];
    }
}
