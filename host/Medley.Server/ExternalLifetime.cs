using Microsoft.Extensions.Hosting;

namespace Medley.Server;

/// <summary>
/// Leaves Ctrl+C and SIGTERM to whoever started the server (the CLI cancels its token; a test disposes the server),
/// instead of the default console lifetime also listening for them and stopping the host behind the caller's back.
/// </summary>
internal sealed class ExternalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
