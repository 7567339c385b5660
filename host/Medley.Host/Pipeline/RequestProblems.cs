using Medley.Sdk;

namespace Medley.Host.Pipeline;

/// <summary>The one error every request validation raises: all problems, listed once.</summary>
internal static class RequestProblems
{
    public static MedleyException Invalid(IReadOnlyList<string> problems) =>
        new(
            "request.invalid",
            problems.Count == 1
                ? $"Invalid request: {problems[0]}"
                : $"Invalid request ({problems.Count} problems):{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", problems)}",
            details: problems);
}
