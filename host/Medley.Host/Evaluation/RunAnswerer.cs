using System.Text;
using Medley.Host.Running;
using Medley.Sdk.Models;
using Microsoft.Extensions.Logging;

namespace Medley.Host.Evaluation;

/// <summary>
/// A run-config strategy answering prompts (<c>medley eval --run</c>): the members are loaded once and every item
/// goes through the same <see cref="StrategyRunner"/> as <c>medley run</c>, with the run's own sampling settings.
/// </summary>
internal sealed class RunAnswerer : IPromptAnswerer
{
    // Each run resets and reads the members' shared forward counters, so items take turns; the members themselves
    // may still run in parallel inside a step.
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly LoadedMembers _members;
    private readonly StrategyRunner _runner;
    private readonly Dictionary<string, long> _calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _counterTotals = new(StringComparer.Ordinal);
    private int _runs;

    public RunAnswerer(RunPlan plan, LoadedMembers members, string location, ILogger logger)
    {
        _members = members;
        _runner = new StrategyRunner(plan, members, logger);
        Kind = plan.Strategy.Name;
        Name = Path.GetFileNameWithoutExtension(location);
        Location = location;
        Device = string.Join(", ", members.Members.Select(m => m.Model.Info.Device).Distinct(StringComparer.Ordinal));
        foreach (var member in members.Members)
        {
            _calls[member.Name] = 0;
        }
    }

    public string Kind { get; }

    public string Name { get; }

    public string Location { get; }

    public string Device { get; }

    public ITextTokenizer Tokenizer => _members.Members[0].Model.Tokenizer;

    public IReadOnlyDictionary<string, long> Calls
    {
        get
        {
            lock (_calls)
            {
                return new Dictionary<string, long>(_calls, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Each strategy counter's mean over the items answered so far.</summary>
    public IReadOnlyDictionary<string, double> Counters
    {
        get
        {
            lock (_calls)
            {
                return _counterTotals.ToDictionary(c => c.Key, c => _runs == 0 ? 0 : c.Value / _runs, StringComparer.Ordinal);
            }
        }
    }

    public async ValueTask<AnswerOutcome> AnswerAsync(string prompt, ExactMatch target, int maxTokens, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var statistics = new RunStatistics();
            var text = new StringBuilder();
            string? stopReason = null;
            await foreach (var piece in _runner.RunAsync(prompt, statistics, cancellationToken).ConfigureAwait(false))
            {
                text.Append(piece.Text);
                if (!target.CouldStillMatch(text.ToString()))
                {
                    stopReason = "mismatch";
                    break;
                }

                if (statistics.GeneratedTokens >= maxTokens)
                {
                    stopReason = "max-tokens";
                    break;
                }
            }

            lock (_calls)
            {
                _runs++;
                foreach (var member in statistics.Members)
                {
                    _calls[member.Name] = _calls.GetValueOrDefault(member.Name) + member.ForwardCalls;
                }

                foreach (var (name, value) in statistics.Counters)
                {
                    _counterTotals[name] = _counterTotals.GetValueOrDefault(name) + value;
                }
            }

            return new AnswerOutcome(text.ToString(), statistics.PromptTokens, statistics.GeneratedTokens, stopReason ?? statistics.StopReason);
        }
        finally
        {
            _turn.Release();
        }
    }

    public void Dispose()
    {
        _members.Dispose();
        _turn.Dispose();
    }
}
