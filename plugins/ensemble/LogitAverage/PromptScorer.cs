using Medley.Sdk.Models;

namespace Medley.Ensemble.LogitAverage;

/// <summary>How surprised a model is by a prompt.</summary>
internal static class PromptScorer
{
    /// <summary>
    /// The mean negative log-likelihood (nats per token) of the prompt's tokens after the first, each given the
    /// tokens before it; 0 for a one-token prompt, which has nothing to predict.
    /// </summary>
    public static async Task<double> MeanNegativeLogLikelihoodAsync(ICausalLanguageModel model, IReadOnlyList<int> prompt, CancellationToken cancellationToken)
    {
        if (prompt.Count < 2)
        {
            return 0;
        }

        // A session of its own: the host's sessions must see the prompt exactly once.
        using var session = model.CreateSession();
        var logits = await session.AppendAsync(prompt.ToArray(), LogitsScope.All, cancellationToken).ConfigureAwait(false);
        var scratch = new float[logits.VocabularySize];
        var total = 0.0;
        for (var position = 1; position < prompt.Count; position++)
        {
            var row = logits.Row(position - 1).Span;
            total += LogSoftmax.LogSumExp(row, scratch) - row[prompt[position]];
        }

        return total / (prompt.Count - 1);
    }
}
