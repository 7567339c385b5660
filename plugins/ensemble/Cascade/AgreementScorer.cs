using Medley.Ensemble.Vote;
using Microsoft.Extensions.AI;

namespace Medley.Ensemble.Cascade;

/// <summary>
/// Asks a member for k samples at a temperature and accepts when the most frequent extracted answer has a share of at
/// least the threshold (samples without an extractable answer count in k but vote for nothing). The first sample that
/// gave the majority answer is returned; a tie goes to the answer seen first, as in vote.
/// </summary>
internal sealed class AgreementScorer : IAnswerScorer
{
    private readonly AnswerExtractor _extractor;
    private readonly int _samples;
    private readonly double _temperature;
    private readonly double _threshold;

    public AgreementScorer(AnswerExtractor extractor, int samples, double temperature, double threshold)
    {
        _extractor = extractor;
        _samples = samples;
        _temperature = temperature;
        _threshold = threshold;
    }

    public async Task<ScoredAnswer> AnswerAsync(CascadeMember member, MemberCalls calls, IReadOnlyList<ChatMessage> conversation, ChatOptions? options, CancellationToken cancellationToken)
    {
        var asks = Enumerable.Range(0, _samples).Select(sample => calls.AskAsync(member, conversation, SampleOptions(options, sample), cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(asks).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Every sample has finished; the first failure stands for the member.
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (asks.FirstOrDefault(a => !a.IsCompletedSuccessfully) is { } failed)
        {
            throw failed.Exception?.GetBaseException() as MemberCallFailedException ?? new MemberCallFailedException("a sample was cancelled though the request was not (a timeout)");
        }

        var responses = asks.Select(a => a.Result).ToList();
        // Answers in order of first appearance, so a strict ">" keeps the earliest among equals.
        var votes = new Dictionary<string, (int Count, int First)>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var i = 0; i < responses.Count; i++)
        {
            if (_extractor.Extract(responses[i].Text) is not { } answer)
            {
                continue;
            }

            if (votes.TryGetValue(answer, out var seen))
            {
                votes[answer] = (seen.Count + 1, seen.First);
            }
            else
            {
                votes[answer] = (1, i);
                order.Add(answer);
            }
        }

        string? winner = null;
        foreach (var answer in order)
        {
            if (winner is null || votes[answer].Count > votes[winner].Count)
            {
                winner = answer;
            }
        }

        if (winner is null)
        {
            return new ScoredAnswer(responses[0], false, 0);
        }

        var share = (double)votes[winner].Count / _samples;
        return new ScoredAnswer(responses[votes[winner].First], share >= _threshold, share);
    }

    // Samples at one seed would be one answer repeated, which would make agreement meaningless.
    private ChatOptions SampleOptions(ChatOptions? options, int sample)
    {
        var copy = options?.Clone() ?? new ChatOptions();
        copy.Temperature = (float)_temperature;
        if (copy.Seed is { } seed)
        {
            copy.Seed = seed + sample;
        }

        return copy;
    }
}
