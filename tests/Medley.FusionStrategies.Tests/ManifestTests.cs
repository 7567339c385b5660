using System.Reflection;
using System.Text.Json;
using Medley.Cooperation.Tests.Support;
using Medley.Ensemble.MixtureOfAgents;
using Medley.Ensemble.PairwiseRank;
using Medley.Host.Schemas;
using Medley.Sdk;
using Medley.Sdk.Responses;

namespace Medley.FusionStrategies.Tests;

/// <summary>The manifests declare what the assemblies implement, with the roles the code reads.</summary>
public sealed class ManifestTests
{
    [Theory]
    [InlineData("PairwiseRank", typeof(PairwiseRankStrategy), new[] { "member", "judge", "fuser" }, new[] { true, false, false })]
    [InlineData("MixtureOfAgents", typeof(MixtureOfAgentsStrategy), new[] { "proposer", "aggregator" }, new[] { true, false })]
    public void Manifest_declares_the_response_strategy_and_its_roles(string folder, Type strategy, string[] roles, bool[] multiple)
    {
        using var manifest = Repository.ReadJson("plugins", "ensemble", folder, "medley-plugin.json");
        using var manifestSchema = Repository.ReadJson("plugin-manifest.schema.json");
        Assert.Empty(JsonSchemaChecker.Evaluate(JsonSchemaChecker.Build(manifestSchema.RootElement), manifest.RootElement));
        var assemblyName = strategy.Assembly.GetName().Name!;
        Assert.Equal(assemblyName, manifest.RootElement.GetProperty("id").GetString());
        Assert.Equal(assemblyName + ".dll", manifest.RootElement.GetProperty("entryAssembly").GetString());
        var declared = Assert.Single(manifest.RootElement.GetProperty("strategies").EnumerateArray().ToArray());
        Assert.Equal(strategy.GetCustomAttribute<MedleyStrategyAttribute>()!.Name, declared.GetProperty("name").GetString());
        Assert.Equal("response", declared.GetProperty("kind").GetString());
        Assert.True(typeof(IResponseStrategy).IsAssignableFrom(strategy));
        var declaredRoles = declared.GetProperty("roles").EnumerateArray().ToArray();
        Assert.Equal(roles, declaredRoles.Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(multiple, declaredRoles.Select(r => r.GetProperty("multiple").GetBoolean()));
        Assert.Empty(JsonSchemaChecker.CheckSchema(declared.GetProperty("parameters")));
    }

    // Global and per-member parameters are both checked against the strategy's schema by the host.
    [Theory]
    [InlineData("PairwiseRank", """{"samples":2,"aggregation":"bubble","both_orders":false,"fuse_top_k":3,"judge_prompt":"{candidate_a} {candidate_b}","fusion_prompt":"{candidates}"}""", true)]
    [InlineData("PairwiseRank", """{"aggregation":"borda"}""", false)]
    [InlineData("PairwiseRank", """{"fuse_top_k":-1}""", false)]
    [InlineData("PairwiseRank", """{"judge":"j"}""", false)]
    [InlineData("MixtureOfAgents", """{"layers":3,"quorum":2,"concurrency":8,"aggregate_prompt":"{responses}"}""", true)]
    [InlineData("MixtureOfAgents", """{"in_layers":[1,2]}""", true)]
    [InlineData("MixtureOfAgents", """{"in_layers":[0]}""", false)]
    [InlineData("MixtureOfAgents", """{"in_layers":[]}""", false)]
    [InlineData("MixtureOfAgents", """{"layers":0}""", false)]
    [InlineData("MixtureOfAgents", """{"samples":2}""", false)]
    public void Parameter_schemas_accept_what_the_code_reads_and_refuse_what_it_cannot(string folder, string parameters, bool valid)
    {
        using var manifest = Repository.ReadJson("plugins", "ensemble", folder, "medley-plugin.json");
        var schema = JsonSchemaChecker.Build(manifest.RootElement.GetProperty("strategies")[0].GetProperty("parameters"));
        using var instance = JsonDocument.Parse(parameters);

        Assert.Equal(valid, JsonSchemaChecker.Evaluate(schema, instance.RootElement).Count == 0);
    }

    [Fact]
    public void Every_aggregation_the_pairwise_manifest_offers_is_accepted_and_its_default_is_the_codes()
    {
        using var manifest = Repository.ReadJson("plugins", "ensemble", "PairwiseRank", "medley-plugin.json");
        var properties = manifest.RootElement.GetProperty("strategies")[0].GetProperty("parameters").GetProperty("properties");
        Assert.Equal("max_wins", properties.GetProperty("aggregation").GetProperty("default").GetString());
        Assert.True(properties.GetProperty("both_orders").GetProperty("default").GetBoolean());
        Assert.Equal(0, properties.GetProperty("fuse_top_k").GetProperty("default").GetInt32());
        foreach (var value in properties.GetProperty("aggregation").GetProperty("enum").EnumerateArray().Select(v => v.GetString()))
        {
            var parameters = JsonSerializer.Serialize(new Dictionary<string, string?> { ["aggregation"] = value });
            Assert.NotNull(Support.EnsembleBuilder.Create(new PairwiseRankStrategy(), parameters,
                new Support.Participant("a", "member", Support.RuleChatClient.Fixed("x")), new Support.Participant("j", "judge", Support.RuleChatClient.Fixed("A"))));
        }

        using var moa = Repository.ReadJson("plugins", "ensemble", "MixtureOfAgents", "medley-plugin.json");
        var moaProperties = moa.RootElement.GetProperty("strategies")[0].GetProperty("parameters").GetProperty("properties");
        Assert.Equal(2, moaProperties.GetProperty("layers").GetProperty("default").GetInt32());
    }
}
