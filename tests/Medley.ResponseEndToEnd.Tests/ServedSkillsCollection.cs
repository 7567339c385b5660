namespace Medley.ResponseEndToEnd.Tests;

/// <summary>Every test class shares one <see cref="ServedSkills"/>: one export and ONE served process for the project.</summary>
[CollectionDefinition(Name)]
public sealed class ServedSkillsCollection : ICollectionFixture<ServedSkills>
{
    public const string Name = "served skills";
}
