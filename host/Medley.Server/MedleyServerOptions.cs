using Microsoft.Extensions.Logging;

namespace Medley.Server;

/// <summary>How <see cref="MedleyServer"/> listens and how much work it admits.</summary>
public sealed class MedleyServerOptions
{
    /// <summary>The URLs to listen on; port 0 picks a free port (with an explicit IP address such as 127.0.0.1).</summary>
    public IList<string> Urls { get; } = [];

    /// <summary>When set, every request must carry <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How many chat completions run at once.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>How many chat completions may wait for a free slot; beyond that a request is answered 429 at once.</summary>
    public int QueueLimit { get; set; } = 64;

    /// <summary>The largest request body accepted, in bytes; a larger one is answered 413.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The Retry-After value, in seconds, sent with a 429.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Where the server's logs go; when unset, the logging providers are cleared (nothing is logged).</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }
}
