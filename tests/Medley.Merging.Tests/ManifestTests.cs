using System.Reflection;
using System.Text.Json;
using Medley.Merging.Tests.Support;
using Medley.Sdk;
using Medley.Sdk.Merging;

namespace Medley.Merging.Tests;

/// <summary>Each plugin's manifest agrees with its code: name, assembly, parameter scopes and defaults.</summary>
public sealed class ManifestTests
{
    public static TheoryData<string> Names => [.. Methods.All.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Manifest_declares_the_strategy_the_assembly_implements(string name)
    {
        var method = Methods.Get(name);
        var assemblyName = method.GetType().Assembly.GetName().Name!;
        using var manifest = ReadManifest(method);
        var root = manifest.RootElement;
        Assert.Equal(assemblyName, root.GetProperty("id").GetString());
        Assert.Equal(assemblyName + ".dll", root.GetProperty("entryAssembly").GetString());
        Assert.Equal("0.1.0", root.GetProperty("version").GetString());
        Assert.Equal("[0.1.0, 0.2.0)", root.GetProperty("sdk").GetString());
        Assert.False(root.TryGetProperty("files", out _));
        var strategy = Assert.Single(root.GetProperty("strategies").EnumerateArray().ToArray());
        Assert.Equal(name, strategy.GetProperty("name").GetString());
        Assert.Equal("merge", strategy.GetProperty("kind").GetString());
        Assert.Equal(name, method.GetType().GetCustomAttribute<MedleyStrategyAttribute>()!.Name);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Parameters_schema_marks_exactly_the_traits_per_model_names_as_model_scoped(string name)
    {
        var method = Methods.Get(name);
        using var manifest = ReadManifest(method);
        var parameters = Assert.Single(manifest.RootElement.GetProperty("strategies").EnumerateArray().ToArray()).GetProperty("parameters");
        Assert.Equal("object", parameters.GetProperty("type").GetString());
        Assert.False(parameters.GetProperty("additionalProperties").GetBoolean());
        var properties = parameters.GetProperty("properties").EnumerateObject().ToArray();
        Assert.All(properties, p => Assert.False(string.IsNullOrWhiteSpace(p.Value.GetProperty("description").GetString())));
        var modelScoped = properties.Where(p => p.Value.GetProperty("x-medley-scope").GetString() == "model").Select(p => p.Name).ToArray();
        Assert.Equal(method.Traits.PerModelParameters.Order(), modelScoped.Order());
        Assert.All(properties, p => Assert.Contains(p.Value.GetProperty("x-medley-scope").GetString(), new[] { "model", "global" }));
    }

    [Theory]
    [InlineData("task_arithmetic")]
    [InlineData("ties")]
    [InlineData("dare_ties")]
    [InlineData("dare_linear")]
    [InlineData("breadcrumbs")]
    [InlineData("breadcrumbs_ties")]
    [InlineData("della")]
    [InlineData("della_linear")]
    public void Schema_defaults_match_the_method_table(string name)
    {
        var spec = Methods.Gta[name];
        using var manifest = ReadManifest(Methods.Get(name));
        var properties = manifest.RootElement.GetProperty("strategies")[0].GetProperty("parameters").GetProperty("properties");
        Assert.Equal(spec.Normalize, properties.GetProperty("normalize").GetProperty("default").GetBoolean());
        Assert.Equal(spec.Rescale, properties.GetProperty("rescale").GetProperty("default").GetBoolean());
        Assert.Equal(1.0, properties.GetProperty("lambda").GetProperty("default").GetDouble());
        Assert.Equal(1.0, properties.GetProperty("density").GetProperty("default").GetDouble());
        Assert.Equal(0.0, properties.GetProperty("density").GetProperty("minimum").GetDouble());
        Assert.Equal(1.0, properties.GetProperty("density").GetProperty("maximum").GetDouble());
        Assert.False(properties.GetProperty("int8_mask").GetProperty("default").GetBoolean());
        Assert.Equal(spec.Sparsifier == Sparsifier.MagnitudeOutliers, properties.TryGetProperty("gamma", out var gamma));
        Assert.Equal(spec.Sparsifier == Sparsifier.Della, properties.TryGetProperty("epsilon", out var epsilon));
        if (spec.Sparsifier == Sparsifier.MagnitudeOutliers)
        {
            Assert.Equal(0.01, gamma.GetProperty("default").GetDouble());
        }

        if (spec.Sparsifier == Sparsifier.Della)
        {
            Assert.Equal(0.15, epsilon.GetProperty("default").GetDouble());
        }

        var traits = Methods.Get(name).Traits;
        Assert.Equal(BaseModelUse.Required, traits.BaseModel);
        Assert.Equal(spec.Sparsifier is Sparsifier.Random or Sparsifier.Della, traits.IsRandomized);
    }

    private static JsonDocument ReadManifest(IMergeMethod method)
    {
        var assemblyName = method.GetType().Assembly.GetName().Name!;
        var folder = assemblyName["Medley.Merging.".Length..];
        var path = Path.Combine(RepositoryRoot(), "plugins", "merging", folder, "medley-plugin.json");
        return JsonDocument.Parse(File.ReadAllText(path));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "plugin-manifest.schema.json")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with plugin-manifest.schema.json) was not found above " + AppContext.BaseDirectory);
    }
}
