using System.Text.Json;
using Medley.Sdk;

namespace Medley.Host.Evaluation;

/// <summary>
/// Reads a skills task file: JSON Lines, one <c>{"task", "prompt", "answer"}</c> object per line. Blank lines are
/// skipped and other fields are ignored (datasets often carry metadata); every error names the file and line.
/// </summary>
public static class TaskFileReader
{
    private static readonly string[] RequiredFields = ["task", "prompt", "answer"];

    /// <summary>Reads every item, in file order.</summary>
    /// <param name="path">The <c>.jsonl</c> file.</param>
    /// <returns>The items; never empty.</returns>
    /// <exception cref="MedleyException">When the file is missing or empty, or a line is not a valid item.</exception>
    public static IReadOnlyList<EvaluationItem> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new MedleyException(EvaluationErrorCodes.TasksMissing, $"Task file '{path}' does not exist; expected a JSON Lines file of {{\"task\", \"prompt\", \"answer\"}} objects.");
        }

        var items = new List<EvaluationItem>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                items.Add(ParseLine(path, lineNumber, line));
            }
        }

        if (items.Count == 0)
        {
            throw new MedleyException(EvaluationErrorCodes.TasksEmpty, $"Task file '{path}' has no items; expected one {{\"task\", \"prompt\", \"answer\"}} object per line.");
        }

        return items;
    }

    /// <summary>The first <paramref name="limit"/> items of each task, in file order.</summary>
    /// <param name="items">All items.</param>
    /// <param name="limit">Items kept per task; null keeps all.</param>
    /// <returns>The kept items.</returns>
    public static IReadOnlyList<EvaluationItem> FirstPerTask(IReadOnlyList<EvaluationItem> items, int? limit)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (limit is not { } perTask)
        {
            return items;
        }

        var taken = new Dictionary<string, int>(StringComparer.Ordinal);
        var kept = new List<EvaluationItem>();
        foreach (var item in items)
        {
            var count = taken.GetValueOrDefault(item.Task);
            if (count < perTask)
            {
                taken[item.Task] = count + 1;
                kept.Add(item);
            }
        }

        return kept;
    }

    private static EvaluationItem ParseLine(string path, int lineNumber, string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            var column = ex.BytePositionInLine is { } position ? $", byte {position + 1}" : string.Empty;
            throw new MedleyException(
                EvaluationErrorCodes.TasksNotJson,
                $"{path}:{lineNumber}{column}: not valid JSON; expected one {{\"task\", \"prompt\", \"answer\"}} object per line.",
                innerException: ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new MedleyException(
                    EvaluationErrorCodes.TasksInvalid,
                    $"{path}:{lineNumber}: is a JSON {Describe(root.ValueKind)}; expected an object with string fields \"task\", \"prompt\" and \"answer\".");
            }

            var values = new string[RequiredFields.Length];
            for (var i = 0; i < RequiredFields.Length; i++)
            {
                values[i] = ReadField(path, lineNumber, root, RequiredFields[i]);
            }

            return new EvaluationItem(values[0], values[1], values[2], lineNumber);
        }
    }

    private static string ReadField(string path, int lineNumber, JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value))
        {
            throw new MedleyException(EvaluationErrorCodes.TasksInvalid, $"{path}:{lineNumber}: field '{name}' is missing; expected a non-empty string.");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new MedleyException(EvaluationErrorCodes.TasksInvalid, $"{path}:{lineNumber}: field '{name}' is a JSON {Describe(value.ValueKind)}; expected a non-empty string.");
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new MedleyException(EvaluationErrorCodes.TasksInvalid, $"{path}:{lineNumber}: field '{name}' is empty; expected a non-empty string.");
        }

        return text;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "string",
    };
}
