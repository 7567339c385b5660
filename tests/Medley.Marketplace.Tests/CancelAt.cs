using Medley.Host.Marketplace;

namespace Medley.Marketplace.Tests;

/// <summary>Cancels an install the moment it reaches a step (the installer reports steps synchronously).</summary>
internal sealed class CancelAt(InstallStage stage, CancellationTokenSource cancellation) : IProgress<InstallProgress>
{
    public List<InstallStage> Seen { get; } = [];

    public void Report(InstallProgress value)
    {
        Seen.Add(value.Stage);
        if (value.Stage == stage)
        {
            cancellation.Cancel();
        }
    }
}
