using Mediator;
using Medley.Host.Pipeline;
using Medley.Sdk;

namespace Medley.Host.Demo;

/// <summary>
/// <c>medley demo</c>: merges the bundled skills fine-tunes, runs the token-level strategies on the bundled models
/// and scores everything on the held-out tasks, in one run.
/// </summary>
/// <param name="SkillsFolder">The skills suite (models/ and tasks/).</param>
public sealed record SkillsDemo(string SkillsFolder) : IRequest<DemoReport>, IValidatableRequest
{
    /// <summary>Items per task (all when null).</summary>
    public int? Limit { get; init; }

    /// <summary>Where merged and exported models are kept; a temporary folder, deleted at the end, when null.</summary>
    public string? WorkFolder { get; init; }

    /// <summary>Items decoded at once.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Receives the stages' progress.</summary>
    public IProgress<ProgressUpdate>? Progress { get; init; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(SkillsFolder))
        {
            yield return "--skills is empty: expected the skills suite folder";
        }

        if (Limit is < 1)
        {
            yield return $"--limit is {Limit}: expected at least 1";
        }

        if (Parallelism < 1)
        {
            yield return $"--parallel is {Parallelism}: expected at least 1";
        }
    }
}
