using Medley.Sdk;
using Medley.Sdk.Responses;
using Microsoft.Extensions.AI;

namespace Medley.Ensemble.PairwiseRank;

/// <summary>
/// Asks the judge member which of two candidates answers the instruction better. With both orders the pair is asked
/// twice with the candidates swapped, so a judge that prefers whichever comes first gives each side one point.
/// </summary>
internal sealed class PairwiseJudge
{
    public const string DefaultTemplate =
        """
        You are judging two answers to the same request. Decide which one answers it better: correct, complete, and doing what was asked.

        [Request]
        {instruction}

        [Answer A]
        {candidate_a}

        [Answer B]
        {candidate_b}

        Reply with one letter only: A if answer A is better, B if answer B is better.
        """;

    private readonly ResponseMember _judge;
    private readonly string _template;
    private readonly bool _bothOrders;
    private readonly StrategyCounters _counters;

    public PairwiseJudge(ResponseMember judge, string template, bool bothOrders, StrategyCounters counters)
    {
        _judge = judge;
        _template = template;
        _bothOrders = bothOrders;
        _counters = counters;
    }

    public int CallsPerComparison => _bothOrders ? 2 : 1;

    public async Task<PairScore> CompareAsync(string instruction, string first, string second, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        var forward = VerdictAsync(instruction, first, second, gate, cancellationToken);
        var backward = _bothOrders ? VerdictAsync(instruction, second, first, gate, cancellationToken) : null;
        await Task.WhenAll(backward is null ? [forward] : [forward, backward]).ConfigureAwait(false);
        _counters.Add("comparisons");
        var score = Points(forward.Result, asShown: true);
        return backward is null ? score : score with
        {
            First = score.First + Points(backward.Result, asShown: false).First,
            Second = score.Second + Points(backward.Result, asShown: false).Second,
        };
    }

    // A verdict on the swapped order ("A" = the second candidate) gives its point to the other side.
    private static PairScore Points(JudgeVerdict verdict, bool asShown) => verdict switch
    {
        JudgeVerdict.A => asShown ? new PairScore(1, 0) : new PairScore(0, 1),
        JudgeVerdict.B => asShown ? new PairScore(0, 1) : new PairScore(1, 0),
        _ => new PairScore(0.5, 0.5),
    };

    private async Task<JudgeVerdict> VerdictAsync(string instruction, string candidateA, string candidateB, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        var prompt = PromptText.Fill(_template, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["instruction"] = instruction,
            ["candidate_a"] = candidateA,
            ["candidate_b"] = candidateB,
        });
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        ChatResponse response;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            _counters.Add("judge_calls");
            response = await _judge.Client.GetResponseAsync([new ChatMessage(ChatRole.User, prompt)], cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new MedleyException(
                "response.judge_failed",
                $"Judge member '{_judge.Name}' failed while comparing two candidates: {error.Message}",
                MedleyErrorKind.Failure,
                innerException: error);
        }
        finally
        {
            gate.Release();
        }

        var verdict = VerdictParser.Parse(response.Text);
        if (verdict == JudgeVerdict.Tie)
        {
            _counters.Add("tied_verdicts");
        }

        return verdict;
    }
}
