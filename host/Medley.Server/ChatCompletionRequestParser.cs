using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Medley.Server;

/// <summary>
/// Reads an OpenAI chat-completion body into <see cref="ChatCompletionRequest"/>, naming the field at fault when a
/// value is missing or of the wrong kind. Fields the server does not use (user, logit_bias, ...) are ignored, as
/// OpenAI-compatible servers commonly do, so that stock clients work.
/// </summary>
internal static class ChatCompletionRequestParser
{
    private const int MaxStopSequences = 4;

    public static ChatCompletionRequest Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw ApiError.Invalid(null, $"The request body must be a JSON object; got {Describe(body.ValueKind)}.");
        }

        var model = RequiredString(body, "model");
        var messages = ReadMessages(body);
        var options = new ChatOptions { ModelId = model };

        if (Optional(body, "temperature") is { } temperature)
        {
            options.Temperature = (float)Number(temperature, "temperature", 0, 2, "a number from 0 to 2");
        }

        if (Optional(body, "top_p") is { } topP)
        {
            var value = Number(topP, "top_p", 0, 1, "a number in (0, 1]");
            options.TopP = value > 0 ? (float)value : throw ApiError.Invalid("top_p", $"top_p is {value}; expected a number in (0, 1].");
        }

        // max_completion_tokens replaced max_tokens in OpenAI's API; a body with both means the newer one.
        var maxTokensField = Optional(body, "max_completion_tokens") is not null ? "max_completion_tokens" : "max_tokens";
        if (Optional(body, maxTokensField) is { } maxTokens)
        {
            options.MaxOutputTokens = (int)Integer(maxTokens, maxTokensField, 1, int.MaxValue);
        }

        if (Optional(body, "stop") is { } stop)
        {
            options.StopSequences = ReadStop(stop);
        }

        if (Optional(body, "seed") is { } seed)
        {
            options.Seed = Integer(seed, "seed", long.MinValue, long.MaxValue);
        }

        if (Optional(body, "n") is { } n && Integer(n, "n", 1, int.MaxValue) != 1)
        {
            throw ApiError.Invalid("n", $"n is {n.GetRawText()}; this server returns one choice per request, so n must be 1.");
        }

        var stream = Optional(body, "stream") is { } streamValue && Boolean(streamValue, "stream");
        var includeUsage = false;
        if (Optional(body, "stream_options") is { } streamOptions)
        {
            if (streamOptions.ValueKind != JsonValueKind.Object)
            {
                throw ApiError.Invalid("stream_options", $"stream_options must be an object; got {Describe(streamOptions.ValueKind)}.");
            }

            includeUsage = Optional(streamOptions, "include_usage") is { } include && Boolean(include, "stream_options.include_usage");
        }

        return new ChatCompletionRequest(model, messages, options, stream, includeUsage);
    }

    private static List<ChatMessage> ReadMessages(JsonElement body)
    {
        var messages = Optional(body, "messages") ?? throw ApiError.Invalid("messages", "The field 'messages' is required: an array of {role, content} objects.", "missing_required_parameter");
        if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            throw ApiError.Invalid("messages", $"messages must be a non-empty array of {{role, content}} objects; got {Describe(messages.ValueKind)}{(messages.ValueKind == JsonValueKind.Array ? " with no items" : string.Empty)}.");
        }

        var result = new List<ChatMessage>();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var field = $"messages[{index}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                throw ApiError.Invalid(field, $"{field} must be an object with role and content; got {Describe(message.ValueKind)}.");
            }

            var roleName = RequiredString(message, "role", field + ".role");
            var role = roleName switch
            {
                "system" or "developer" => ChatRole.System,
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                _ => throw ApiError.Invalid(field + ".role", $"{field}.role is '{roleName}'; expected system, developer, user or assistant."),
            };
            result.Add(new ChatMessage(role, ReadContent(message, field + ".content", role)));
            index++;
        }

        return result;
    }

    private static string ReadContent(JsonElement message, string field, ChatRole role)
    {
        var content = Optional(message, "content");
        switch (content?.ValueKind)
        {
            case JsonValueKind.String:
                return content.Value.GetString()!;
            case JsonValueKind.Array:
                var text = new StringBuilder();
                var part = 0;
                foreach (var item in content.Value.EnumerateArray())
                {
                    var partField = $"{field}[{part}]";
                    var type = item.ValueKind == JsonValueKind.Object ? RequiredString(item, "type", partField + ".type") : null;
                    if (type != "text")
                    {
                        throw ApiError.Invalid(partField, $"{partField} must be a {{\"type\":\"text\",\"text\":...}} part; this server reads text only{(type is null ? string.Empty : $" (got type '{type}')")}.");
                    }

                    text.Append(RequiredString(item, "text", partField + ".text", allowEmpty: true));
                    part++;
                }

                return text.ToString();
            case null when role == ChatRole.Assistant:
                return string.Empty;
            case null:
                throw ApiError.Invalid(field, $"{field} is required: a string or an array of text parts.", "missing_required_parameter");
            default:
                throw ApiError.Invalid(field, $"{field} must be a string or an array of text parts; got {Describe(content.Value.ValueKind)}.");
        }
    }

    private static List<string> ReadStop(JsonElement stop)
    {
        List<string> sequences = stop.ValueKind switch
        {
            JsonValueKind.String => [stop.GetString()!],
            JsonValueKind.Array => [.. stop.EnumerateArray().Select((item, i) => item.ValueKind == JsonValueKind.String
                ? item.GetString()!
                : throw ApiError.Invalid("stop", $"stop[{i}] must be a string; got {Describe(item.ValueKind)}."))],
            _ => throw ApiError.Invalid("stop", $"stop must be a string or an array of strings; got {Describe(stop.ValueKind)}."),
        };
        if (sequences.Count > MaxStopSequences)
        {
            throw ApiError.Invalid("stop", $"stop has {sequences.Count} sequences; at most {MaxStopSequences} are allowed.");
        }

        if (sequences.Any(s => s.Length == 0))
        {
            throw ApiError.Invalid("stop", "stop holds an empty string; stop sequences must be non-empty.");
        }

        return sequences;
    }

    /// <summary>The property's value; an explicit JSON null counts as absent, as in OpenAI's API.</summary>
    private static JsonElement? Optional(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string RequiredString(JsonElement owner, string name, string? field = null, bool allowEmpty = false)
    {
        field ??= name;
        var value = Optional(owner, name) ?? throw ApiError.Invalid(field, $"The field '{field}' is required.", "missing_required_parameter");
        if (value.ValueKind != JsonValueKind.String)
        {
            throw ApiError.Invalid(field, $"{field} must be a string; got {Describe(value.ValueKind)}.");
        }

        var text = value.GetString()!;
        return allowEmpty || text.Length > 0 ? text : throw ApiError.Invalid(field, $"{field} is empty; expected a non-empty string.");
    }

    private static double Number(JsonElement value, string field, double min, double max, string expected)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || number < min || number > max)
        {
            throw ApiError.Invalid(field, $"{field} is {value.GetRawText()}; expected {expected}.");
        }

        return number;
    }

    private static long Integer(JsonElement value, string field, long min, long max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number) || number < min || number > max)
        {
            var range = max == long.MaxValue || max == int.MaxValue ? $"an integer >= {min}" : $"an integer from {min} to {max}";
            throw ApiError.Invalid(field, $"{field} is {value.GetRawText()}; expected {(min == long.MinValue ? "an integer" : range)}.");
        }

        return number;
    }

    private static bool Boolean(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw ApiError.Invalid(field, $"{field} is {value.GetRawText()}; expected true or false."),
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
