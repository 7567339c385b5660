using Medley.Host.Evaluation;
using Medley.Sdk;
using Medley.Sdk.Models;
using Medley.Runtime.Tests;

namespace Medley.Evaluation.Tests;

/// <summary>The evaluator over a scripted answerer: what a future strategy plugs into.</summary>
public sealed class EvaluatorTests
{
    [Fact]
    public async Task A_strategys_calls_and_counters_are_carried_into_the_report()
    {
        using var answerer = new ScriptedAnswerer(new Dictionary<string, string> { ["1+1="] = "2", ["2+2="] = "5", ["ab"] = " ba " });
        EvaluationItem[] items = [new("add", "1+1=", "2", 1), new("add", "2+2=", "4", 2), new("rev", "ab", "ba", 3)];

        var report = await Evaluator.RunAsync(answerer, items, new EvaluationRunSettings("t.jsonl", null, 1, null), CancellationToken.None);

        Assert.Equal(new EvaluationSubject("speculative", "scripted", "run.yml", "cpu:0"), report.Subject);
        Assert.Equal(2, report.Correct);
        Assert.Equal(2.0 / 3, report.Accuracy, 12);
        Assert.Equal([("add", 0.5), ("rev", 1.0)], report.Tasks.Select(t => (t.Task, t.Accuracy)));
        Assert.Equal(new Dictionary<string, long> { ["draft"] = 6, ["target"] = 3 }, report.Calls);
        Assert.Equal(new Dictionary<string, double> { ["accepted"] = 3 }, report.Counters);
        // The cap is the answer's token count (one per character here) plus the margin.
        Assert.Equal([1 + Evaluator.AnswerTokenMargin, 1 + Evaluator.AnswerTokenMargin, 2 + Evaluator.AnswerTokenMargin], answerer.Caps.OrderBy(c => c));
    }

    [Fact]
    public async Task Items_run_concurrently_up_to_the_parallelism_and_progress_reaches_the_total()
    {
        using var answerer = new ScriptedAnswerer(new Dictionary<string, string> { ["a"] = "1", ["b"] = "1", ["c"] = "1", ["d"] = "1" }) { Gate = 2 };
        EvaluationItem[] items = [new("t", "a", "1", 1), new("t", "b", "1", 2), new("t", "c", "1", 3), new("t", "d", "1", 4)];
        var updates = new List<ProgressUpdate>();
        var progress = new SynchronousProgress(updates);

        var report = await Evaluator.RunAsync(answerer, items, new EvaluationRunSettings("t.jsonl", null, 2, progress), CancellationToken.None);

        Assert.Equal(2, answerer.MostAtOnce);
        Assert.Equal(1.0, report.Accuracy);
        lock (updates)
        {
            Assert.Equal(5, updates.Count);
            Assert.Equal(4, updates.Max(u => u.Completed));
            Assert.All(updates, u => Assert.Equal(4, u.Total));
        }
    }

    private sealed class SynchronousProgress(List<ProgressUpdate> updates) : IProgress<ProgressUpdate>
    {
        public void Report(ProgressUpdate value)
        {
            lock (updates)
            {
                updates.Add(value);
            }
        }
    }

    /// <summary>Answers from a table, counting calls for two pretend models and one counter, as a strategy would.</summary>
    private sealed class ScriptedAnswerer(IReadOnlyDictionary<string, string> answers) : IPromptAnswerer
    {
        private readonly object _lock = new();
        private int _running;
        private long _target;
        private TaskCompletionSource _together = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>When set, each item waits until this many are running at once (proof of concurrency).</summary>
        public int Gate { get; init; }

        public int MostAtOnce { get; private set; }

        public List<int> Caps { get; } = [];

        public string Kind => "speculative";

        public string Name => "scripted";

        public string Location => "run.yml";

        public string Device => "cpu:0";

        public ITextTokenizer Tokenizer { get; } = new TestTokenizer(64);

        public IReadOnlyDictionary<string, long> Calls => new Dictionary<string, long> { ["draft"] = 2 * _target, ["target"] = _target };

        public IReadOnlyDictionary<string, double> Counters => new Dictionary<string, double> { ["accepted"] = _target };

        public async ValueTask<AnswerOutcome> AnswerAsync(string prompt, ExactMatch target, int maxTokens, CancellationToken cancellationToken)
        {
            TaskCompletionSource together;
            lock (_lock)
            {
                Caps.Add(maxTokens);
                _target++;
                _running++;
                MostAtOnce = Math.Max(MostAtOnce, _running);
                together = _together;
                if (_running == Gate)
                {
                    _together.SetResult();
                    _together = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            if (Gate > 0)
            {
                await together.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }

            lock (_lock)
            {
                _running--;
            }

            var text = answers[prompt];
            return new AnswerOutcome(text, prompt.Length, text.Length, "eos");
        }

        public void Dispose()
        {
        }
    }
}
