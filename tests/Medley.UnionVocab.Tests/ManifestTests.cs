using System.Reflection;
using System.Text.Json;
using Medley.Ensemble.UnionVocab;
using Medley.Host.Hosting;
using Medley.Host.Plugins;
using Medley.Sdk;
using Medley.Sdk.Decoding;

namespace Medley.UnionVocab.Tests;

public sealed class ManifestTests(TinyMembers members) : IClassFixture<TinyMembers>
{
    [Fact]
    public void Manifest_declares_the_strategy_its_roles_and_its_parameters()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "plugins", "ensemble", "UnionVocab", "medley-plugin.json")));
        var root = manifest.RootElement;
        var assemblyName = typeof(UnionVocabStrategy).Assembly.GetName().Name!;
        Assert.Equal(assemblyName, root.GetProperty("id").GetString());
        Assert.Equal(assemblyName + ".dll", root.GetProperty("entryAssembly").GetString());
        var strategy = Assert.Single(root.GetProperty("strategies").EnumerateArray().ToArray());
        Assert.Equal(typeof(UnionVocabStrategy).GetCustomAttribute<MedleyStrategyAttribute>()!.Name, strategy.GetProperty("name").GetString());
        Assert.Equal("decoding", strategy.GetProperty("kind").GetString());
        var role = Assert.Single(strategy.GetProperty("roles").EnumerateArray().ToArray());
        Assert.Equal("member", role.GetProperty("name").GetString());
        Assert.True(role.GetProperty("multiple").GetBoolean());

        var properties = strategy.GetProperty("parameters").GetProperty("properties");
        Assert.Equal(
            [(UnionVocabSettings.WeightParameter, "model"), (UnionVocabSettings.TopKParameter, "global"), (UnionVocabSettings.GateThresholdParameter, "global")],
            properties.EnumerateObject().Select(p => (p.Name, p.Value.GetProperty("x-medley-scope").GetString())));
        Assert.Equal(UnionVocabSettings.DefaultTopK, properties.GetProperty(UnionVocabSettings.TopKParameter).GetProperty("default").GetInt32());
    }

    [Fact]
    public async Task The_built_plugin_loads_through_the_host_and_decodes()
    {
        var options = new MedleyOptions { UseDefaultPluginLocations = false };
        options.PluginDirectories.Add(PluginOutputFolder());
        using var catalog = new PluginCatalog(options);
        Assert.Equal(PluginStatus.Loaded, Assert.Single(catalog.Plugins).Status);
        var strategy = catalog.Resolve<IDecodingStrategy>("union-vocab");
        Assert.NotEqual(typeof(UnionVocabStrategy).Assembly, strategy.GetType().Assembly);

        var context = Decoding.Context([(members.ByteLevel, null), (members.CharacterA, null)], "hello w", maxTokens: 3);
        var events = new List<TokenEvent>();
        await foreach (var item in strategy.DecodeAsync(context, CancellationToken.None))
        {
            events.Add(item);
        }

        var direct = await Decoding.RunAsync(Decoding.Context([(members.ByteLevel, null), (members.CharacterA, null)], "hello w", maxTokens: 3));
        Assert.Equal(direct.Select(e => e.Text), events.Select(e => e.Text));
    }

    private static string PluginOutputFolder()
    {
        // This test's own output is bin/<configuration>/<framework>/; the plugin builds to the same shape.
        var framework = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = framework.Parent!;
        return Path.Combine(RepositoryRoot(), "plugins", "ensemble", "UnionVocab", "bin", configuration.Name, framework.Name);
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
