using System.Reflection;
using System.Text.Json;
using Medley.Cooperation.Tests.Support;
using Medley.Ensemble.Mbr;
using Medley.Ensemble.Vote;
using Medley.ResponseStrategies.Tests.Support;
using Medley.Sdk;
using Medley.Sdk.Responses;

namespace Medley.ResponseStrategies.Tests;

/// <summary>The manifests declare what the assemblies implement, and every value they offer is one the code accepts.</summary>
public sealed class ManifestTests
{
    [Theory]
    [InlineData("Vote", typeof(VoteStrategy))]
    [InlineData("Mbr", typeof(MbrStrategy))]
    public void Manifest_declares_the_response_strategy_the_assembly_implements(string folder, Type strategy)
    {
        using var manifest = Manifest(folder);
        var assemblyName = strategy.Assembly.GetName().Name!;
        Assert.Equal(assemblyName, manifest.RootElement.GetProperty("id").GetString());
        Assert.Equal(assemblyName + ".dll", manifest.RootElement.GetProperty("entryAssembly").GetString());
        var declared = Assert.Single(manifest.RootElement.GetProperty("strategies").EnumerateArray().ToArray());
        Assert.Equal(strategy.GetCustomAttribute<MedleyStrategyAttribute>()!.Name, declared.GetProperty("name").GetString());
        Assert.Equal("response", declared.GetProperty("kind").GetString());
        Assert.True(typeof(IResponseStrategy).IsAssignableFrom(strategy));
        var role = Assert.Single(declared.GetProperty("roles").EnumerateArray().ToArray());
        Assert.Equal("member", role.GetProperty("name").GetString());
        Assert.True(role.GetProperty("multiple").GetBoolean());
    }

    [Theory]
    [InlineData("Vote", "extraction", "exact")]
    [InlineData("Mbr", "utility", "chrf")]
    public void Schema_defaults_are_the_code_defaults_and_every_offered_choice_is_accepted(string folder, string choice, string defaultChoice)
    {
        using var manifest = Manifest(folder);
        var properties = manifest.RootElement.GetProperty("strategies")[0].GetProperty("parameters").GetProperty("properties");
        Assert.Equal(1, properties.GetProperty("samples").GetProperty("default").GetInt32());
        Assert.Equal(4, properties.GetProperty("concurrency").GetProperty("default").GetInt32());
        Assert.Equal(1, properties.GetProperty("quorum").GetProperty("default").GetInt32());
        Assert.Equal(defaultChoice, properties.GetProperty(choice).GetProperty("default").GetString());

        IResponseStrategy strategy = folder == "Vote" ? new VoteStrategy() : new MbrStrategy();
        foreach (var value in properties.GetProperty(choice).GetProperty("enum").EnumerateArray().Select(v => v.GetString()))
        {
            var parameters = JsonSerializer.Serialize(new Dictionary<string, string?> { [choice] = value, ["pattern"] = "(x)" });
            Assert.NotNull(EnsembleClients.Create(strategy, parameters, ("a", new ScriptedChatClient("x"))));
        }
    }

    private static JsonDocument Manifest(string folder) => Repository.ReadJson("plugins", "ensemble", folder, "medley-plugin.json");
}
