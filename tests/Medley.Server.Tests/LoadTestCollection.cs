namespace Medley.Server.Tests;

/// <summary>Runs its tests with nothing else in parallel: they measure the whole process's managed heap.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadTestCollection
{
    public const string Name = "load, alone";
}
