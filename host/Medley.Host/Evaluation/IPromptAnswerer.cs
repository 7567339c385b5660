using Medley.Sdk.Models;

namespace Medley.Host.Evaluation;

/// <summary>
/// The thing under evaluation: it answers prompts greedily. One model is one answerer; a run-config strategy
/// (several models cooperating) is another, bringing its own counters. Implementations must allow concurrent
/// <see cref="AnswerAsync"/> calls, since items are evaluated in parallel.
/// </summary>
internal interface IPromptAnswerer : IDisposable
{
    /// <summary>How the report names the subject: <c>model</c> or a strategy's name.</summary>
    string Kind { get; }

    /// <summary>The subject's display name.</summary>
    string Name { get; }

    /// <summary>Where it was loaded from (a model folder, a run config).</summary>
    string Location { get; }

    /// <summary>The device it runs on.</summary>
    string Device { get; }

    /// <summary>The tokenizer answers are counted in (for the max-tokens cap).</summary>
    ITextTokenizer Tokenizer { get; }

    /// <summary>Forward passes so far, per model name.</summary>
    IReadOnlyDictionary<string, long> Calls { get; }

    /// <summary>The subject's own counters (accepted drafts, routing decisions…); empty for a single model.</summary>
    IReadOnlyDictionary<string, double> Counters { get; }

    /// <summary>Decodes greedily after <paramref name="prompt"/> until end of sequence, the cap, or a mismatch.</summary>
    /// <param name="prompt">The prompt text.</param>
    /// <param name="target">The expected answer: decoding stops as soon as it can no longer match.</param>
    /// <param name="maxTokens">Most tokens to generate.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The text and counts.</returns>
    ValueTask<AnswerOutcome> AnswerAsync(string prompt, ExactMatch target, int maxTokens, CancellationToken cancellationToken);
}
