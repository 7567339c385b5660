namespace Medley.Sdk.Providers;

/// <summary>Whether an execution provider can run here, and if not, why.</summary>
/// <param name="IsAvailable">Whether sessions can be created on this provider.</param>
/// <param name="Reason">Why not (no GPU, libraries missing, wrong OS…), or a note when available.</param>
/// <param name="Devices">Devices found, e.g. <c>cuda:0 NVIDIA H100</c>.</param>
public sealed record ProviderAvailability(bool IsAvailable, string? Reason, IReadOnlyList<string> Devices)
{
    /// <summary>An unavailable provider.</summary>
    /// <param name="reason">Why.</param>
    /// <returns>The availability.</returns>
    public static ProviderAvailability Unavailable(string reason) => new(false, reason, []);
}
