using System.Globalization;
using Medley.Sdk;
using Medley.Sdk.Decoding;

namespace Medley.Ensemble.UnionVocab;

/// <summary>The validated parameters of one request: the members' normalised weights, <c>top_k</c> and the gate.</summary>
internal sealed class UnionVocabSettings
{
    public const string WeightParameter = "weight";
    public const string TopKParameter = "top_k";
    public const string GateThresholdParameter = "gate_threshold";
    public const int DefaultTopK = 10;

    private UnionVocabSettings(IReadOnlyList<double> weights, int topK, double? gateThreshold)
    {
        Weights = weights;
        TopK = topK;
        GateThreshold = gateThreshold;
    }

    /// <summary>Each member's weight divided by the sum of the weights, in member order.</summary>
    public IReadOnlyList<double> Weights { get; }

    public int TopK { get; }

    /// <summary>The primary decodes alone while its top probability is above this; null when gating is off.</summary>
    public double? GateThreshold { get; }

    public static UnionVocabSettings Read(DecodingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Members.Count == 0)
        {
            throw new MedleyException(
                UnionVocabErrorCodes.NoMembers,
                "union-vocab needs at least one model in the 'member' role (the first is the primary); the run gave none.");
        }

        var weights = new double[context.Members.Count];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            var member = context.Members[i];
            var weight = member.Parameters.GetDouble(WeightParameter, 1.0);
            if (!double.IsFinite(weight) || weight < 0)
            {
                throw new MedleyException(
                    UnionVocabErrorCodes.InvalidWeight,
                    string.Create(CultureInfo.InvariantCulture, $"Member '{member.Name}' has weight {weight}: expected a finite number ≥ 0."));
            }

            weights[i] = weight;
            sum += weight;
        }

        if (sum == 0)
        {
            throw new MedleyException(
                UnionVocabErrorCodes.ZeroWeightSum,
                "Every member's weight is 0, so the weighted average of their probabilities is undefined: give at least one member a positive weight.");
        }

        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] /= sum;
        }

        var topK = context.Parameters.GetInt32(TopKParameter, DefaultTopK);
        if (topK < 1)
        {
            throw new MedleyException(
                UnionVocabErrorCodes.InvalidTopK,
                string.Create(CultureInfo.InvariantCulture, $"Parameter 'top_k' is {topK}: expected a whole number ≥ 1."));
        }

        double? gate = null;
        if (context.Parameters.Contains(GateThresholdParameter))
        {
            var threshold = context.Parameters.GetRequiredDouble(GateThresholdParameter);
            if (!(threshold >= 0 && threshold <= 1))
            {
                throw new MedleyException(
                    UnionVocabErrorCodes.InvalidGateThreshold,
                    string.Create(CultureInfo.InvariantCulture, $"Parameter 'gate_threshold' is {threshold}: expected a probability between 0 and 1."));
            }

            gate = threshold;
        }

        return new UnionVocabSettings(weights, topK, gate);
    }
}
