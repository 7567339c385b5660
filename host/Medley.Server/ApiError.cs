using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Medley.Server;

/// <summary>
/// A request the server refuses, answered in OpenAI's error shape <c>{"error":{"message","type","param","code"}}</c>
/// so that OpenAI clients surface the message as they would OpenAI's own.
/// </summary>
internal sealed class ApiError(int status, string type, string? code, string? param, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Type { get; } = type;

    public string? Code { get; } = code;

    public string? Param { get; } = param;

    public static ApiError Invalid(string? param, string message, string code = "invalid_value") =>
        new(StatusCodes.Status400BadRequest, "invalid_request_error", code, param, message);

    public async Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = Status;
        response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", Message);
        writer.WriteString("type", Type);
        writer.WriteString("param", Param);
        writer.WriteString("code", Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync().ConfigureAwait(false);
    }
}
