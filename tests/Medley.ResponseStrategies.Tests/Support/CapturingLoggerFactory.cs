using Medley.Cooperation.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Medley.ResponseStrategies.Tests.Support;

/// <summary>Hands every category the same <see cref="CapturingLogger"/>, so a test sees all warnings.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    public CapturingLogger Logger { get; } = new();

    public ILogger CreateLogger(string categoryName) => Logger;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }
}
