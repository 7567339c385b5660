using Medley.Host.Chat;
using Medley.Host.Evaluation;
using Medley.Host.Runtime;
using Medley.Host.Tokenization;
using Microsoft.Extensions.AI;

namespace Medley.Host.Demo;

/// <summary>
/// Calibrates the demo cascade's log-probability threshold the way routers are calibrated (RouteLLM): from the
/// cheap member's confidence on the prompts alone, never from whether its answers are right, so the threshold
/// is the quantile that sends a chosen share of requests on to the strong member.
/// </summary>
internal static class CascadeCalibration
{
    /// <summary>The mean token log-probabilities of the model's greedy answers to the prompts, as its chat client reports them.</summary>
    public static async Task<IReadOnlyList<double>> ScoresAsync(string onnx, IEnumerable<EvaluationItem> items, int maxTokens, CancellationToken cancellationToken)
    {
        using var model = OnnxCausalLanguageModel.Load(new OnnxModelOptions { Path = onnx, TokenizerFactory = HfTokenizerLoader.Load });
        using var client = new OnnxChatClient(model, promptFormat: ChatPromptFormat.Raw);
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = maxTokens };
        var scores = new List<double>();
        foreach (var item in items)
        {
            var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, item.Prompt)], options, cancellationToken).ConfigureAwait(false);

            // An empty answer has no mean; the cascade scores it as unknown and escalates it, so it sets no threshold.
            if (response.AdditionalProperties?.TryGetValue(ChatLogProbabilities.MeanKey, out var mean) == true && mean is double value)
            {
                scores.Add(value);
            }
        }

        return scores;
    }

    /// <summary>
    /// The threshold below which <paramref name="escalationShare"/> of the scores lie: their quantile at that share,
    /// linearly interpolated between order statistics as numpy's default is.
    /// </summary>
    public static double Threshold(IReadOnlyList<double> scores, double escalationShare)
    {
        var sorted = scores.Order().ToArray();
        if (sorted.Length == 0)
        {
            // No answer had a score, so nothing can be accepted on confidence: every request escalates.
            return 0;
        }

        var position = escalationShare * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
