using System.Globalization;
using System.Text.Json;
using Medley.Sdk;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Server;

/// <summary><c>POST /v1/chat/completions</c>: validates, waits for a slot in the bounded queue, then answers whole or as SSE.</summary>
internal sealed partial class ChatCompletionEndpoint(
    ServedModelRegistry registry, RequestGate gate, MedleyServerOptions options, ILogger<ChatCompletionEndpoint> logger)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public async Task HandleAsync(HttpContext http, CancellationToken stopping)
    {
        // Generation stops when the client goes away or the server shuts down; either way nobody reads the rest.
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        var cancellationToken = cancellation.Token;
        try
        {
            var request = await ReadAsync(http.Request, cancellationToken).ConfigureAwait(false);
            if (!registry.Contains(request.Model))
            {
                throw new ApiError(
                    StatusCodes.Status404NotFound, "invalid_request_error", "model_not_found", "model",
                    $"The model '{request.Model}' does not exist on this server; GET /v1/models lists the served ids.");
            }

            using var lease = await gate.TryEnterAsync(cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                LogQueueFull(logger, options.Concurrency, options.QueueLimit);
                http.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                throw new ApiError(
                    StatusCodes.Status429TooManyRequests, "rate_limit_error", "queue_full", null,
                    $"The server is busy: {options.Concurrency} requests are running and {options.QueueLimit} are waiting. Retry later.");
            }

            var client = await LoadAsync(request.Model, cancellationToken).ConfigureAwait(false);
            if (request.Stream)
            {
                await StreamAsync(http, client, request, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await CompleteAsync(http, client, request, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ApiError error) when (!http.Response.HasStarted)
        {
            await error.WriteAsync(http.Response).ConfigureAwait(false);
        }
        catch (MedleyException ex) when (!http.Response.HasStarted && ex.Kind != MedleyErrorKind.Failure)
        {
            // The member refused what the request asked for (an out-of-range option, a prompt it cannot render).
            await ApiError.Invalid(null, ex.Message, ex.Code).WriteAsync(http.Response).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogCancelled(logger, http.TraceIdentifier);
        }
#pragma warning disable CA1031 // The server's last line of defence: anything else is a 500 without internals in the body.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogFailed(logger, ex, http.TraceIdentifier);
            if (http.Response.HasStarted)
            {
                // Mid-stream the status is already sent: cutting the connection is the only way to say the answer is broken.
                http.Abort();
                return;
            }

            await new ApiError(
                StatusCodes.Status500InternalServerError, "server_error", "internal_error", null,
                $"The server failed to answer this request (trace id {http.TraceIdentifier}); the server log has the details.").WriteAsync(http.Response).ConfigureAwait(false);
        }
    }

    private async Task<ChatCompletionRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > options.MaxBodyBytes)
        {
            throw TooLarge(request.ContentLength.Value);
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
            return ChatCompletionRequestParser.Parse(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw ApiError.Invalid(null, $"The request body is not valid JSON: {ex.Message}", "invalid_json");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(null);
        }
    }

    private ApiError TooLarge(long? length) => new(
        StatusCodes.Status413PayloadTooLarge, "invalid_request_error", "request_too_large", null,
        $"The request body{(length is null ? string.Empty : $" ({length} bytes)")} is larger than this server's limit of {options.MaxBodyBytes} bytes.");

    private async Task<IChatClient> LoadAsync(string model, CancellationToken cancellationToken)
    {
        try
        {
            return await registry.GetAsync(model, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogLoadFailed(logger, ex, model);
            throw new ApiError(
                StatusCodes.Status500InternalServerError, "server_error", "model_load_failed", "model",
                $"The model '{model}' could not be loaded; the server log has the details.");
        }
    }

    private static async Task CompleteAsync(HttpContext http, IChatClient client, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var response = await client.GetResponseAsync(request.Messages, request.Options, cancellationToken).ConfigureAwait(false);
        var body = OpenAiJson.Completion(
            CompletionId(response.ResponseId), request.Model, Created(response.CreatedAt), response.Text, OpenAiJson.FinishReason(response.FinishReason), response.Usage);
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext http, IChatClient client, ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var updates = client.GetStreamingResponseAsync(request.Messages, request.Options, cancellationToken);
        var enumerator = updates.GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            // The first update is awaited before any byte is sent, so that a refused request still gets a status and a JSON error.
            var hasUpdate = await enumerator.MoveNextAsync().ConfigureAwait(false);
            var first = hasUpdate ? enumerator.Current : null;
            var id = CompletionId(first?.ResponseId);
            var created = Created(first?.CreatedAt);
            var response = http.Response;
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            await SendAsync(response, OpenAiJson.Chunk(id, request.Model, created, "assistant", string.Empty, null), cancellationToken).ConfigureAwait(false);

            ChatFinishReason? finishReason = null;
            UsageDetails? usage = null;
            while (hasUpdate)
            {
                var update = enumerator.Current;
                finishReason = update.FinishReason ?? finishReason;
                usage = update.Contents.OfType<UsageContent>().LastOrDefault()?.Details ?? usage;
                var text = update.Text;
                if (text.Length > 0)
                {
                    await SendAsync(response, OpenAiJson.Chunk(id, request.Model, created, null, text, null), cancellationToken).ConfigureAwait(false);
                }

                hasUpdate = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }

            await SendAsync(response, OpenAiJson.Chunk(id, request.Model, created, null, null, OpenAiJson.FinishReason(finishReason)), cancellationToken).ConfigureAwait(false);
            if (request.IncludeUsage)
            {
                await SendAsync(response, OpenAiJson.UsageChunk(id, request.Model, created, usage), cancellationToken).ConfigureAwait(false);
            }

            await response.Body.WriteAsync(Done, cancellationToken).ConfigureAwait(false);
            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task SendAsync(HttpResponse response, byte[] json, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(DataPrefix, cancellationToken).ConfigureAwait(false);
        await response.Body.WriteAsync(json, cancellationToken).ConfigureAwait(false);
        await response.Body.WriteAsync(EventEnd, cancellationToken).ConfigureAwait(false);

        // Each chunk goes out as soon as it is made: streaming is for seeing tokens as they come.
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string CompletionId(string? responseId) =>
        string.IsNullOrEmpty(responseId) ? "chatcmpl-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture) : responseId;

    private static long Created(DateTimeOffset? createdAt) => (createdAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a chat completion with 429: {Concurrency} running and {Queue} waiting")]
    private static partial void LogQueueFull(ILogger logger, int concurrency, int queue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {TraceId} was cancelled (client gone or server stopping)")]
    private static partial void LogCancelled(ILogger logger, string traceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {TraceId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string traceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Loading the model {Model} failed")]
    private static partial void LogLoadFailed(ILogger logger, Exception exception, string model);
}
