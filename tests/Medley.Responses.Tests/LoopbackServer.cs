using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Medley.Responses.Tests;

/// <summary>
/// A real HTTP server on a free loopback port; each request is answered by the test's handler, given the request's
/// 1-based number. Requests are counted as they arrive.
/// </summary>
internal sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<int, HttpListenerContext, Task> _handle;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public LoopbackServer(Func<int, HttpListenerContext, Task> handle)
    {
        _handle = handle;
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/v1";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string BaseUrl { get; }

    public int Requests => Volatile.Read(ref _requests);

    public string? LastBody { get; private set; }

    public string? LastAuthorization { get; private set; }

    /// <summary>An OpenAI chat completion whose message is <paramref name="text"/>, with the given usage.</summary>
    public static string Completion(string text, int promptTokens, int completionTokens) => $$$"""
        {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"m",
         "choices":[{"index":0,"message":{"role":"assistant","content":"{{{text}}}"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":{{{promptTokens}}},"completion_tokens":{{{completionTokens}}},"total_tokens":{{{promptTokens + completionTokens}}}}}
        """;

    public static async Task WriteAsync(HttpListenerContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(body);
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends by the listener closing under it.
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            var number = Interlocked.Increment(ref _requests);
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                LastBody = await reader.ReadToEndAsync();
            }

            LastAuthorization = context.Request.Headers["Authorization"];
            _ = Task.Run(async () =>
            {
                try
                {
                    await _handle(number, context);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    // A hanging handler ends when the server stops.
                }
                catch (HttpListenerException)
                {
                    // The client gave up on this request (its timeout) before the answer.
                }
            });
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
