namespace Medley.Host.Evaluation;

/// <summary>Stable error codes of <c>medley eval</c> (docs/errors.md).</summary>
public static class EvaluationErrorCodes
{
    /// <summary>The task file does not exist.</summary>
    public const string TasksMissing = "eval.tasks.missing";

    /// <summary>The task file holds no items.</summary>
    public const string TasksEmpty = "eval.tasks.empty";

    /// <summary>A line of the task file is not JSON.</summary>
    public const string TasksNotJson = "eval.tasks.not-json";

    /// <summary>A line is JSON but not an item: not an object, or a field missing, empty or not a string.</summary>
    public const string TasksInvalid = "eval.tasks.invalid";

    /// <summary>A prompt encodes to no tokens.</summary>
    public const string PromptEmpty = "eval.prompt.empty";

    /// <summary>The report file exists and overwriting was not asked for.</summary>
    public const string ReportExists = "eval.report.exists";
}
