using Mediator;
using Medley.Host.Pipeline;
using Medley.Host.Running;

namespace Medley.Host.Responses;

/// <summary>Answers one prompt through a run config's chat client (<c>medley respond</c>).</summary>
/// <param name="Config">The run config (any strategy kind; response strategies may name remote members).</param>
/// <param name="Prompt">The user message.</param>
public sealed record RespondToPrompt(RunConfig Config, string Prompt) : IRequest<RespondResult>, IValidatableRequest
{
    /// <summary>A system message put before the prompt, if any.</summary>
    public string? System { get; init; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Config.Strategy))
        {
            yield return "field 'strategy' is empty: expected a strategy's name";
        }

        if (Config.Members.Count == 0)
        {
            yield return "field 'models' is empty: expected at least one member by role";
        }

        if (string.IsNullOrEmpty(Prompt))
        {
            yield return "--prompt is empty: expected the user message";
        }
    }
}
