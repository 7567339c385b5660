using System.Reflection;
using System.Text.Json;
using Medley.Cooperation.Contrastive;
using Medley.Cooperation.ProxyTuning;
using Medley.Cooperation.Tests.Support;
using Medley.Host.Schemas;
using Medley.Sdk;
using Medley.Sdk.Decoding;

namespace Medley.Cooperation.Tests;

/// <summary>The manifests agree with the code, and their parameter schemas refuse what the papers' ranges exclude.</summary>
public sealed class ManifestTests
{
    [Theory]
    [InlineData("Contrastive", typeof(ContrastiveDecoding), new[] { "expert", "amateur" })]
    [InlineData("ProxyTuning", typeof(ProxyTuningStrategy), new[] { "base", "expert", "anti_expert" })]
    public void Manifest_is_valid_and_declares_the_step_strategy_the_assembly_implements(string folder, Type strategy, string[] roles)
    {
        using var manifest = Manifest(folder);
        using var manifestSchema = Repository.ReadJson("plugin-manifest.schema.json");
        Assert.Empty(JsonSchemaChecker.Evaluate(JsonSchemaChecker.Build(manifestSchema.RootElement), manifest.RootElement));

        var assemblyName = strategy.Assembly.GetName().Name!;
        Assert.Equal(assemblyName, manifest.RootElement.GetProperty("id").GetString());
        Assert.Equal(assemblyName + ".dll", manifest.RootElement.GetProperty("entryAssembly").GetString());
        var declared = Assert.Single(manifest.RootElement.GetProperty("strategies").EnumerateArray().ToArray());
        Assert.Equal(strategy.GetCustomAttribute<MedleyStrategyAttribute>()!.Name, declared.GetProperty("name").GetString());
        Assert.Equal("step", declared.GetProperty("kind").GetString());
        Assert.True(typeof(IStepCombiner).IsAssignableFrom(strategy));
        var declaredRoles = declared.GetProperty("roles").EnumerateArray().ToArray();
        Assert.Equal(roles, declaredRoles.Select(r => r.GetProperty("name").GetString()));
        Assert.All(declaredRoles, r => Assert.True(r.GetProperty("required").GetBoolean()));
        Assert.Empty(JsonSchemaChecker.CheckSchema(declared.GetProperty("parameters")));
    }

    [Fact]
    public void Schema_defaults_are_the_papers_and_the_code_defaults()
    {
        using var contrastive = Manifest("Contrastive");
        var c = Properties(contrastive);
        Assert.Equal("obrien", c.GetProperty("formulation").GetProperty("default").GetString());
        Assert.Equal(0.1, c.GetProperty("alpha").GetProperty("default").GetDouble());
        Assert.Equal(ContrastiveSettings.DefaultAlpha, c.GetProperty("alpha").GetProperty("default").GetDouble());
        Assert.Equal(0.5, c.GetProperty("beta").GetProperty("default").GetDouble());
        Assert.Equal(ContrastiveSettings.DefaultBeta, c.GetProperty("beta").GetProperty("default").GetDouble());
        Assert.Equal(ContrastiveSettings.DefaultAmateurTemperature, c.GetProperty("amateur_temperature").GetProperty("default").GetDouble());
        Assert.Equal(new ContrastiveSettings(ContrastiveFormulation.OBrien, 0.1, 0.5, 0.5), ContrastiveSettings.Read(StrategyParameters.Empty));

        using var proxy = Manifest("ProxyTuning");
        var p = Properties(proxy);
        Assert.Equal("proxy", p.GetProperty("form").GetProperty("default").GetString());
        Assert.Equal(ProxyTuningSettings.DefaultAlpha, p.GetProperty("alpha").GetProperty("default").GetDouble());
        Assert.Equal(ProxyTuningSettings.DefaultBeta, p.GetProperty("beta").GetProperty("default").GetDouble());
        Assert.Equal(new ProxyTuningSettings(ProxyTuningForm.Proxy, 1), ProxyTuningSettings.Read(StrategyParameters.Empty));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"formulation":"li","alpha":0.2,"amateur_temperature":1}""")]
    [InlineData("""{"formulation":"obrien","alpha":0,"beta":0}""")]
    [InlineData("""{"alpha":1,"beta":2.5}""")]
    public void Contrastive_schema_accepts_good_parameters(string json) =>
        Assert.Empty(Check("Contrastive", json));

    [Theory]
    [InlineData("""{"alpha":1.5}""", "/alpha")]
    [InlineData("""{"alpha":-0.1}""", "/alpha")]
    [InlineData("""{"beta":-1}""", "/beta")]
    [InlineData("""{"amateur_temperature":0}""", "/amateur_temperature")]
    [InlineData("""{"formulation":"greedy"}""", "/formulation")]
    [InlineData("""{"alpha":"0.1"}""", "/alpha")]
    [InlineData("""{"gamma":1}""", "/gamma")]
    public void Contrastive_schema_refuses_bad_parameters_naming_them(string json, string pointer) =>
        Assert.Contains(Check("Contrastive", json), problem => problem.StartsWith(pointer + ":", StringComparison.Ordinal));

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"form":"eft","beta":0.5}""")]
    [InlineData("""{"alpha":0}""")]
    [InlineData("""{"alpha":2}""")]
    public void Proxy_tuning_schema_accepts_good_parameters(string json) =>
        Assert.Empty(Check("ProxyTuning", json));

    [Theory]
    [InlineData("""{"alpha":-1}""", "/alpha")]
    [InlineData("""{"beta":-0.5}""", "/beta")]
    [InlineData("""{"form":"dexperts"}""", "/form")]
    [InlineData("""{"lambda":1}""", "/lambda")]
    public void Proxy_tuning_schema_refuses_bad_parameters_naming_them(string json, string pointer) =>
        Assert.Contains(Check("ProxyTuning", json), problem => problem.StartsWith(pointer + ":", StringComparison.Ordinal));

    private static IReadOnlyList<string> Check(string folder, string json)
    {
        using var manifest = Manifest(folder);
        using var instance = JsonDocument.Parse(json);
        var schema = JsonSchemaChecker.Build(manifest.RootElement.GetProperty("strategies")[0].GetProperty("parameters"));
        return JsonSchemaChecker.Evaluate(schema, instance.RootElement);
    }

    private static JsonElement Properties(JsonDocument manifest) =>
        manifest.RootElement.GetProperty("strategies")[0].GetProperty("parameters").GetProperty("properties");

    private static JsonDocument Manifest(string folder) => Repository.ReadJson("plugins", "cooperation", folder, "medley-plugin.json");
}
