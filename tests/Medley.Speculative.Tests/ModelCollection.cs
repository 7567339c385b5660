namespace Medley.Speculative.Tests;

/// <summary>Shares one export of the tiny models between the test classes that decode with them.</summary>
[CollectionDefinition(Name)]
public sealed class ModelCollection : ICollectionFixture<SpeculativeModels>
{
    public const string Name = "speculative models";
}
