using Medley.Sdk;
using Medley.Sdk.Decoding;
using Medley.Sdk.Models;

namespace Medley.Ensemble.LogitAverage;

/// <summary>
/// The logit-average ensemble: members that share a vocabulary, combined at every step as a weighted mixture of
/// their probabilities or as a product of experts. With <c>weighting: packllm</c> each member's weight is also
/// scaled by <c>exp(−NLLᵢ/τ)</c>, NLLᵢ being its mean negative log-likelihood of the prompt (Pack of LLMs), so the
/// members that find the prompt least surprising lead.
/// </summary>
/// <remarks>
/// Pack of LLMs uses <c>softmax(−NLL/τ)</c> alone; here that is the case of equal (default) member weights, and
/// given weights act as a prior on top of it.
/// </remarks>
[MedleyStrategy("logit-average")]
public sealed class LogitAverageCombiner : IStepCombiner
{
    /// <inheritdoc />
    public async ValueTask<IStepCombination> BeginAsync(StepCombinerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        var parameters = context.Parameters;
        var mode = parameters.GetString("mode", "mixture") switch
        {
            "mixture" => LogitAverageMode.Mixture,
            "product" => LogitAverageMode.Product,
            var other => throw new MedleyException("parameter.invalid", $"Parameter 'mode' is \"{other}\": expected \"mixture\" or \"product\"."),
        };
        var weighting = parameters.GetString("weighting", "fixed");
        if (weighting is not ("fixed" or "packllm"))
        {
            throw new MedleyException("parameter.invalid", $"Parameter 'weighting' is \"{weighting}\": expected \"fixed\" or \"packllm\".");
        }

        var tau = parameters.GetDouble("tau", 1.0);
        if (!(tau > 0))
        {
            throw new MedleyException("parameter.invalid", $"Parameter 'tau' is {tau}: expected a positive number.");
        }

        var members = context.Members;
        var logWeights = new double[members.Count];
        for (var i = 0; i < members.Count; i++)
        {
            var weight = members[i].Parameters.GetDouble("weight", 1.0);
            if (!(weight >= 0) || double.IsInfinity(weight))
            {
                throw new MedleyException("parameter.invalid", $"Member '{members[i].Name}' has weight {weight}: expected a finite number of 0 or more.");
            }

            logWeights[i] = Math.Log(weight);
        }

        if (logWeights.All(double.IsNegativeInfinity))
        {
            throw new MedleyException("logit-average.weights.zero", "Every member has weight 0: give at least one member a positive weight.");
        }

        if (weighting == "packllm")
        {
            for (var i = 0; i < members.Count; i++)
            {
                var nll = await PromptScorer.MeanNegativeLogLikelihoodAsync(members[i].Model, context.PromptTokens, cancellationToken).ConfigureAwait(false);
                context.Counters.Set($"nll.{members[i].Name}", nll);
                logWeights[i] -= nll / tau;
            }
        }

        var weights = Normalise(logWeights);
        for (var i = 0; i < members.Count; i++)
        {
            context.Counters.Set($"weight.{members[i].Name}", weights[i]);
        }

        return new LogitAverageCombination(mode, weights);
    }

    // Normalised in log space: PackLLM's exp(−NLL/τ) underflows for long prompts at small τ.
    private static double[] Normalise(double[] logWeights)
    {
        var max = logWeights.Max();
        var weights = logWeights.Select(w => Math.Exp(w - max)).ToArray();
        var sum = weights.Sum();
        return weights.Select(w => w / sum).ToArray();
    }
}
