namespace Medley.Host.Marketplace;

/// <summary>The steps of an install, reported as they start (the CLI shows them; tests cancel at one).</summary>
internal enum InstallStage
{
    Resolving,
    Downloading,
    Verifying,
    Extracting,
    Validating,
    Moving,
}
