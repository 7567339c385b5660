namespace Medley.PluginPackaging.Tests;

/// <summary>One workspace for all packaging tests: packing the SDK once, and the builds run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<PackagingWorkspace>
{
    public const string Name = "packaging";
}
