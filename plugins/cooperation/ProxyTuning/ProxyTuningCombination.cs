using Medley.Sdk;
using Medley.Sdk.Decoding;

namespace Medley.Cooperation.ProxyTuning;

/// <summary>Proxy-tuned scores for one request.</summary>
internal sealed class ProxyTuningCombination : IStepCombination
{
    private readonly ProxyTuningSettings _settings;
    private readonly int _baseIndex;
    private readonly int _expertIndex;
    private readonly int _antiExpertIndex;
    private readonly int _vocabularySize;
    private readonly StrategyCounters _counters;

    // EFT renormalises, which needs every combined value before the first can be written; kept across steps.
    private readonly float[] _combined;

    public ProxyTuningCombination(
        ProxyTuningSettings settings, int baseIndex, int expertIndex, int antiExpertIndex, int vocabularySize, StrategyCounters counters)
    {
        _settings = settings;
        _baseIndex = baseIndex;
        _expertIndex = expertIndex;
        _antiExpertIndex = antiExpertIndex;
        _vocabularySize = vocabularySize;
        _counters = counters;
        _combined = new float[vocabularySize];
    }

    public void Combine(StepInput input, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(input);
        var baseLogits = Row(input, _baseIndex, "base");
        var expert = Row(input, _expertIndex, "expert");
        var antiExpert = Row(input, _antiExpertIndex, "anti_expert");
        if (scores.Length != _vocabularySize)
        {
            throw new ArgumentException($"The scores span holds {scores.Length} tokens, not the members' {_vocabularySize}.", nameof(scores));
        }

        if (_settings.Form == ProxyTuningForm.Proxy)
        {
            for (var i = 0; i < scores.Length; i++)
            {
                scores[i] = (float)(baseLogits[i] + Steer((double)expert[i] - antiExpert[i]));
            }
        }
        else
        {
            var baseNormalizer = LogProbabilities.LogSumExp(baseLogits, 1.0, _combined);
            var expertNormalizer = LogProbabilities.LogSumExp(expert, 1.0, _combined);
            var antiExpertNormalizer = LogProbabilities.LogSumExp(antiExpert, 1.0, _combined);
            for (var i = 0; i < scores.Length; i++)
            {
                var gain = (expert[i] - expertNormalizer) - (antiExpert[i] - antiExpertNormalizer);
                var combined = (baseLogits[i] - baseNormalizer) + Steer(gain);
                _combined[i] = double.IsNaN(combined) ? float.NegativeInfinity : (float)combined;
            }

            // EFT's renormalisation: the scores become the log-probabilities of a distribution.
            var normalizer = LogProbabilities.LogSumExp(_combined, 1.0, scores);
            for (var i = 0; i < scores.Length; i++)
            {
                scores[i] = (float)(_combined[i] - normalizer);
            }
        }

        _counters.Add("steps");
        if (LogProbabilities.ArgMax(scores) != LogProbabilities.ArgMax(baseLogits))
        {
            _counters.Add("top_token_changed");
        }
    }

    public void Dispose()
    {
    }

    // Weight 0 must give the base exactly, even where a small model says −∞ (0·∞ is NaN); and ∞ − ∞, where both
    // small models rule a token out, carries no steering signal at all.
    private double Steer(double difference) =>
        _settings.Weight == 0 || double.IsNaN(difference) ? 0 : _settings.Weight * difference;

    private ReadOnlySpan<float> Row(StepInput input, int index, string role)
    {
        if (index >= input.MemberLogits.Count)
        {
            throw new ArgumentException($"The step has logits for {input.MemberLogits.Count} members; the {role} is member {index + 1}.", nameof(input));
        }

        var row = input.MemberLogits[index].Span;
        return row.Length == _vocabularySize
            ? row
            : throw new ArgumentException($"The {role}'s logits hold {row.Length} tokens, not {_vocabularySize}.", nameof(input));
    }
}
