using Medley.Sdk;
using Medley.Sdk.Decoding;

namespace Medley.Cooperation.Contrastive;

/// <summary>Contrastive scores for one request.</summary>
internal sealed class ContrastiveCombination : IStepCombination
{
    private readonly ContrastiveSettings _settings;
    private readonly int _expertIndex;
    private readonly int _amateurIndex;
    private readonly int _vocabularySize;
    private readonly StrategyCounters _counters;

    // log α once per request: the mask compares logits, where "p ≥ α·max p" reads "z ≥ max z + log α".
    private readonly double _logAlpha;

    // Li's normalisers need a vocabulary-wide temporary; kept across steps.
    private readonly float[] _scratch;
    private long _steps;
    private long _plausibleTokens;

    public ContrastiveCombination(ContrastiveSettings settings, int expertIndex, int amateurIndex, int vocabularySize, StrategyCounters counters)
    {
        _settings = settings;
        _expertIndex = expertIndex;
        _amateurIndex = amateurIndex;
        _vocabularySize = vocabularySize;
        _counters = counters;
        _logAlpha = Math.Log(settings.Alpha);
        _scratch = settings.Formulation == ContrastiveFormulation.Li ? new float[vocabularySize] : [];
    }

    public void Combine(StepInput input, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(input);
        var expert = Row(input, _expertIndex, "expert");
        var amateur = Row(input, _amateurIndex, "amateur");
        if (scores.Length != _vocabularySize)
        {
            throw new ArgumentException($"The scores span holds {scores.Length} tokens, not the members' {_vocabularySize}.", nameof(scores));
        }

        var expertTop = LogProbabilities.ArgMax(expert);
        if (expertTop < 0 || !float.IsFinite(expert[expertTop]))
        {
            // Without a finite top logit (all −∞, or an infinite one) the expert's distribution is undefined and no
            // token is plausible; the host's sampler then reports that no token can be chosen.
            scores.Fill(float.NegativeInfinity);
            return;
        }

        var threshold = expert[expertTop] + _logAlpha;
        var li = _settings.Formulation == ContrastiveFormulation.Li;
        var expertNormalizer = li ? LogProbabilities.LogSumExp(expert, 1.0, _scratch) : 0.0;
        var amateurNormalizer = li ? LogProbabilities.LogSumExp(amateur, _settings.AmateurTemperature, _scratch) : 0.0;
        var plausible = 0;
        var best = -1;
        for (var i = 0; i < scores.Length; i++)
        {
            double e = expert[i];
            if (!(e >= threshold))
            {
                scores[i] = float.NegativeInfinity;
                continue;
            }

            double a = amateur[i];
            var score = li
                ? (e - expertNormalizer) - ((a / _settings.AmateurTemperature) - amateurNormalizer)
                : OBrien(e, a);
            scores[i] = (float)score;
            plausible++;
            if (best < 0 || scores[i] > scores[best])
            {
                best = i;
            }
        }

        _steps++;
        _plausibleTokens += plausible;
        _counters.Add("steps");
        _counters.Set("plausible_tokens_mean", (double)_plausibleTokens / _steps);
        if (plausible == 1)
        {
            _counters.Add("single_candidate_steps");
        }

        if (best != expertTop)
        {
            _counters.Add("top_token_changed");
        }
    }

    public void Dispose()
    {
    }

    // With β = 0 the amateur must not matter at all, not even through 0·∞ = NaN.
    private double OBrien(double expert, double amateur) =>
        _settings.Beta == 0 ? expert : ((1 + _settings.Beta) * expert) - (_settings.Beta * amateur);

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
