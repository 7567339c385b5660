namespace Medley.Host.Marketplace;

/// <summary>One step of an install starting.</summary>
/// <param name="Stage">Which step.</param>
/// <param name="Description">What it works on, for display.</param>
internal sealed record InstallProgress(InstallStage Stage, string Description);
