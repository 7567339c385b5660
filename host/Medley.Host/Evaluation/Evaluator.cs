using System.Diagnostics;
using Medley.Sdk;

namespace Medley.Host.Evaluation;

/// <summary>Runs an answerer over items, several at once, and scores them by exact match.</summary>
internal static class Evaluator
{
    /// <summary>
    /// Tokens allowed beyond the answer's own count: generated text may tokenize differently from the answer
    /// (a leading space, a merge), and trailing whitespace before the end of sequence is allowed. The mismatch
    /// check stops wrong answers long before this cap.
    /// </summary>
    public const int AnswerTokenMargin = 8;

    public static async Task<EvaluationReport> RunAsync(
        IPromptAnswerer answerer,
        IReadOnlyList<EvaluationItem> items,
        EvaluationRunSettings settings,
        CancellationToken cancellationToken)
    {
        var results = new ItemResult[items.Count];
        var completed = 0;
        settings.Progress?.Report(new ProgressUpdate("eval", 0, items.Count, "items"));
        var clock = Stopwatch.StartNew();
        var options = new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), options, async (index, token) =>
        {
            var item = items[index];
            var target = new ExactMatch(item.Answer);
            var maxTokens = answerer.Tokenizer.Encode(item.Answer.Trim()).Count + AnswerTokenMargin;
            AnswerOutcome outcome;
            try
            {
                outcome = await answerer.AnswerAsync(item.Prompt, target, maxTokens, token).ConfigureAwait(false);
            }
            catch (MedleyException ex)
            {
                // The model's error (a character its tokenizer lacks…) says what; the item's line says where.
                throw new MedleyException(ex.Code, $"{settings.TasksFile}:{item.Line}: {ex.Message}", ex.Kind, ex.Details, ex);
            }

            results[index] = new ItemResult(
                item.Task,
                item.Line,
                item.Prompt,
                item.Answer,
                outcome.Text,
                target.Matches(outcome.Text),
                outcome.PromptTokens,
                outcome.GeneratedTokens,
                outcome.StopReason);
            var done = Interlocked.Increment(ref completed);
            settings.Progress?.Report(new ProgressUpdate("eval", done, items.Count, "items", $"{item.Task}:{item.Line}"));
        }).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;

        var tasks = results
            .GroupBy(r => r.Task, StringComparer.Ordinal)
            .Select(g => Score(g.Key, g.ToList()))
            .ToList();
        var correct = results.Count(r => r.Correct);
        var generated = results.Sum(r => (long)r.GeneratedTokens);
        return new EvaluationReport
        {
            Subject = new EvaluationSubject(answerer.Kind, answerer.Name, answerer.Location, answerer.Device),
            TasksFile = settings.TasksFile,
            Limit = settings.Limit,
            Parallelism = settings.Parallelism,
            Items = results.Length,
            Correct = correct,
            Accuracy = (double)correct / results.Length,
            Tasks = tasks,
            PromptTokens = results.Sum(r => (long)r.PromptTokens),
            GeneratedTokens = generated,
            WallSeconds = seconds,
            TokensPerSecond = seconds > 0 ? generated / seconds : 0,
            Calls = answerer.Calls,
            Counters = answerer.Counters,
            Results = results,
        };
    }

    private static TaskScore Score(string task, IReadOnlyList<ItemResult> results)
    {
        var correct = results.Count(r => r.Correct);
        return new TaskScore(task, results.Count, correct, (double)correct / results.Count, results.Sum(r => (long)r.GeneratedTokens));
    }
}
