using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Medley.Server;

/// <summary>Writes the OpenAI response shapes: chat.completion, chat.completion.chunk and the model list.</summary>
internal static class OpenAiJson
{
    public static byte[] Completion(string id, string model, long created, string text, string finishReason, UsageDetails? usage) => Write(writer =>
    {
        Header(writer, id, "chat.completion", model, created);
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        writer.WriteString("content", text);
        writer.WriteEndObject();
        writer.WriteNull("logprobs");
        writer.WriteString("finish_reason", finishReason);
        writer.WriteEndObject();
        writer.WriteEndArray();
        Usage(writer, usage);
        writer.WriteEndObject();
    });

    /// <summary>One streamed chunk; <paramref name="role"/> goes on the first, <paramref name="finishReason"/> on the last.</summary>
    public static byte[] Chunk(string id, string model, long created, string? role, string? content, string? finishReason) => Write(writer =>
    {
        Header(writer, id, "chat.completion.chunk", model, created);
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("delta");
        if (role is not null)
        {
            writer.WriteString("role", role);
        }

        if (content is not null)
        {
            writer.WriteString("content", content);
        }

        writer.WriteEndObject();
        writer.WriteNull("logprobs");
        writer.WriteString("finish_reason", finishReason);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary>The usage chunk that <c>stream_options.include_usage</c> asks for: no choices, only usage.</summary>
    public static byte[] UsageChunk(string id, string model, long created, UsageDetails? usage) => Write(writer =>
    {
        Header(writer, id, "chat.completion.chunk", model, created);
        writer.WriteStartArray("choices");
        writer.WriteEndArray();
        Usage(writer, usage);
        writer.WriteEndObject();
    });

    public static byte[] ModelList(ServedModelRegistry registry) => Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("object", "list");
        writer.WriteStartArray("data");
        foreach (var id in registry.Ids)
        {
            var (owner, created) = registry.Describe(id);
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("object", "model");
            writer.WriteNumber("created", created.ToUnixTimeSeconds());
            writer.WriteString("owned_by", owner);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    public static string FinishReason(ChatFinishReason? reason) =>
        reason == ChatFinishReason.Length ? "length"
        : reason == ChatFinishReason.ContentFilter ? "content_filter"
        : reason == ChatFinishReason.ToolCalls ? "tool_calls"
        : "stop";

    private static void Header(Utf8JsonWriter writer, string id, string kind, string model, long created)
    {
        writer.WriteStartObject();
        writer.WriteString("id", id);
        writer.WriteString("object", kind);
        writer.WriteNumber("created", created);
        writer.WriteString("model", model);
    }

    private static void Usage(Utf8JsonWriter writer, UsageDetails? usage)
    {
        var prompt = usage?.InputTokenCount ?? 0;
        var completion = usage?.OutputTokenCount ?? 0;
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", prompt);
        writer.WriteNumber("completion_tokens", completion);
        writer.WriteNumber("total_tokens", usage?.TotalTokenCount ?? prompt + completion);
        writer.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
