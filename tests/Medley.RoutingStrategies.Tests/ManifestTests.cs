using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Medley.Cooperation.Tests.Support;
using Medley.Ensemble.Cascade;
using Medley.Ensemble.Router;
using Medley.ResponseStrategies.Tests.Support;
using Medley.RoutingStrategies.Tests.Support;
using Medley.Sdk;
using Medley.Sdk.Responses;

namespace Medley.RoutingStrategies.Tests;

/// <summary>The manifests declare what the assemblies implement, and every value they offer is one the code accepts.</summary>
public sealed class ManifestTests
{
    [Theory]
    [InlineData("Router", typeof(RouterStrategy), "judge")]
    [InlineData("Cascade", typeof(CascadeStrategy), "verifier")]
    public void Manifest_declares_the_response_strategy_and_roles_the_assembly_implements(string folder, Type strategy, string optionalRole)
    {
        using var manifest = Manifest(folder);
        var assemblyName = strategy.Assembly.GetName().Name!;
        Assert.Equal(assemblyName, manifest.RootElement.GetProperty("id").GetString());
        Assert.Equal(assemblyName + ".dll", manifest.RootElement.GetProperty("entryAssembly").GetString());
        var declared = Assert.Single(manifest.RootElement.GetProperty("strategies").EnumerateArray().ToArray());
        Assert.Equal(strategy.GetCustomAttribute<MedleyStrategyAttribute>()!.Name, declared.GetProperty("name").GetString());
        Assert.Equal("response", declared.GetProperty("kind").GetString());
        Assert.True(typeof(IResponseStrategy).IsAssignableFrom(strategy));
        var roles = declared.GetProperty("roles").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!, r => (r.GetProperty("required").GetBoolean(), r.GetProperty("multiple").GetBoolean()));
        Assert.Equal(new Dictionary<string, (bool, bool)> { ["member"] = (true, true), [optionalRole] = (false, false) }, roles);
    }

    [Theory]
    [InlineData("Router", "router")]
    [InlineData("Cascade", "cascade")]
    public void The_host_reads_the_manifest_and_its_parameter_schema(string folder, string name)
    {
        var manifest = Medley.Host.Plugins.ManifestReader.Read(Path.Combine(Repository.Root(), "plugins", "ensemble", folder));
        Assert.Equal(name, Assert.Single(manifest.Strategies).Name);
    }

    [Fact]
    public void Cascade_schema_defaults_are_the_code_defaults_and_every_scorer_is_accepted()
    {
        var properties = Properties("Cascade");
        Assert.Equal(CascadeStrategy.DefaultSamples, properties.GetProperty("samples").GetProperty("default").GetInt32());
        Assert.Equal(CascadeStrategy.DefaultTemperature, properties.GetProperty("temperature").GetProperty("default").GetDouble());
        Assert.Equal(1, properties.GetProperty("verifications").GetProperty("default").GetInt32());
        Assert.Equal("agreement", properties.GetProperty("scorer").GetProperty("default").GetString());
        Assert.Equal("exact", properties.GetProperty("extraction").GetProperty("default").GetString());
        var threshold = properties.GetProperty("threshold").GetProperty("description").GetString()!;
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"agreement (default {CascadeStrategy.DefaultAgreementThreshold})"), threshold, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"verify (default {CascadeStrategy.DefaultVerifyThreshold})"), threshold, StringComparison.Ordinal);

        foreach (var scorer in Choices(properties, "scorer"))
        {
            foreach (var extraction in Choices(properties, "extraction"))
            {
                var parameters = JsonSerializer.Serialize(new Dictionary<string, object> { ["scorer"] = scorer, ["extraction"] = extraction, ["pattern"] = "(x)", ["threshold"] = 0.5 });
                Assert.NotNull(new TestEnsemble().Member("a", new ScriptedChatClient("x")).Build(new CascadeStrategy(), parameters));
            }
        }

        foreach (var tier in Choices(properties, "tier"))
        {
            Assert.NotNull(new TestEnsemble().Member("a", new ScriptedChatClient("x"), $$"""{"tier":"{{tier}}"}""").Build(new CascadeStrategy(), "{}"));
        }
    }

    [Fact]
    public void Router_schema_default_is_the_code_default_and_every_mode_and_tier_is_accepted()
    {
        var properties = Properties("Router");
        Assert.Equal("rules", properties.GetProperty("mode").GetProperty("default").GetString());

        // The default mode is rules: a threshold with no mode given is refused for that reason.
        var error = Assert.Throws<MedleyException>(() => Tiered().Build(new RouterStrategy(), """{"threshold":0}"""));
        Assert.Contains("mode \"rules\"", error.Message, StringComparison.Ordinal);

        foreach (var mode in Choices(properties, "mode"))
        {
            Assert.NotNull(Tiered().Build(new RouterStrategy(), $$"""{"mode":"{{mode}}"}"""));
            if (mode != "rules")
            {
                Assert.NotNull(Tiered().Build(new RouterStrategy(), $$"""{"mode":"{{mode}}","threshold":0}"""));
            }
        }
    }

    private static TestEnsemble Tiered()
    {
        var tiers = Choices(Properties("Router"), "tier");
        var ensemble = new TestEnsemble();
        foreach (var tier in tiers)
        {
            ensemble.Member(tier, new ScriptedChatClient("x"), $$"""{"tier":"{{tier}}","profile":["{{tier}}"],"description":"d"}""");
        }

        return ensemble.Add("j", "judge", new ScriptedChatClient("x"));
    }

    private static List<string> Choices(JsonElement properties, string name) =>
        properties.GetProperty(name).GetProperty("enum").EnumerateArray().Select(v => v.GetString()!).ToList();

    private static JsonElement Properties(string folder)
    {
        using var manifest = Manifest(folder);
        return manifest.RootElement.GetProperty("strategies")[0].GetProperty("parameters").GetProperty("properties").Clone();
    }

    private static JsonDocument Manifest(string folder) => Repository.ReadJson("plugins", "ensemble", folder, "medley-plugin.json");
}
