namespace Medley.Sdk;

/// <summary>
/// Common root of every strategy contract. A class implementing one of the contracts must also carry
/// <see cref="MedleyStrategyAttribute"/>, whose name must be declared in the plugin's manifest.
/// </summary>
public interface IMedleyStrategy
{
}
