namespace Medley.Server;

/// <summary>Stable error codes of <c>medley serve</c>'s set-up (request errors are OpenAI-shaped HTTP answers instead).</summary>
public static class ServerErrorCodes
{
    /// <summary>A served model id is empty or registered twice.</summary>
    public const string DuplicateModel = "serve.model.duplicate";

    /// <summary>A <c>--model</c> folder does not exist or holds no model.onnx.</summary>
    public const string ModelFolderMissing = "serve.model.missing";

    /// <summary>A <c>--run</c> file's strategy parameters do not fit the strategy.</summary>
    public const string RunInvalid = "serve.run.invalid";

    /// <summary>A server option is out of range.</summary>
    public const string InvalidOption = "serve.options.invalid";

    /// <summary>There is nothing to serve.</summary>
    public const string NothingToServe = "serve.models.empty";
}
