using System.Reflection;
using Medley.Host.Plugins;
using Medley.Host.Tests.Support;
using Medley.Sdk;
using Medley.Sdk.Decoding;
using Medley.Sdk.Merging;

namespace Medley.Host.Tests.Plugins;

public sealed class PluginLoadingTests : IDisposable
{
    private readonly PluginSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public void Real_plugin_assemblies_load_from_disk_and_register_their_strategies_by_name()
    {
        _sandbox.Add("Alpha");
        _sandbox.Add("Beta");
        using var host = _sandbox.CreateHost();

        Assert.All(host.Plugins.Plugins, p => Assert.Equal(PluginStatus.Loaded, p.Status));
        Assert.Equal(["alpha_blend", "beta_scale", "alpha_mean"], host.Plugins.Strategies.Select(s => s.Name));
        var blend = host.Plugins.Resolve<IMergeMethod>("alpha_blend");
        Assert.IsAssignableFrom<IStepCombiner>(host.Plugins.Resolve<IStepCombiner>("alpha_mean"));

        // The strategy comes from its own load context, not the host's.
        var context = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(blend.GetType().Assembly);
        Assert.NotSame(System.Runtime.Loader.AssemblyLoadContext.Default, context);
        // ...while the contract type is the host's own, shared.
        Assert.Same(typeof(IMergeMethod).Assembly, blend.GetType().GetInterface(nameof(IMergeMethod))!.Assembly);
    }

    [Fact]
    public void A_loaded_merge_strategy_computes_through_the_sdk_contract()
    {
        _sandbox.Add("Alpha");
        using var host = _sandbox.CreateHost();
        var blend = host.Plugins.Resolve<IMergeMethod>("alpha_blend");
        var output = new float[3];
        var context = new MergeTensorContext(
            "w",
            [3],
            [new MergeInput("a", new float[] { 1, 2, 3 }, StrategyParameters.Empty), new MergeInput("b", new float[] { 3, 2, 1 }, StrategyParameters.Empty)],
            null,
            StrategyParameters.FromJson("{\"weight\": 0.25}"),
            output,
            seed: 0);

        blend.MergeTensor(context, CancellationToken.None);

        Assert.Equal([2.5f, 2f, 1.5f], output);
    }

    [Fact]
    public void Two_plugins_carrying_incompatible_versions_of_one_dependency_both_load_and_both_work()
    {
        _sandbox.Add("Alpha");
        _sandbox.Add("Beta");
        using var host = _sandbox.CreateHost();
        var alpha = host.Plugins.Resolve<IMergeMethod>("alpha_blend");
        var beta = host.Plugins.Resolve<IMergeMethod>("beta_scale");

        Assert.Equal("12.0.0.0", Call<string>(alpha, "get_JsonLibraryVersion"));
        Assert.Equal("13.0.0.0", Call<string>(beta, "get_JsonLibraryVersion"));
        Assert.Equal("{\"plugin\":\"alpha\",\"weight\":0.5}", Call<string>(alpha, "Describe", 0.5));
        Assert.Equal("{\"plugin\":\"beta\",\"factor\":2.5}", Call<string>(beta, "Describe", 2.5));
    }

    [Fact]
    public void A_plugin_whose_constructor_throws_is_reported_and_the_others_still_load()
    {
        _sandbox.Add("Alpha");
        var faulty = _sandbox.Add("Faulty");
        using var host = _sandbox.CreateHost();

        var record = host.Plugins.Plugins.Single(p => p.Id == "Medley.TestPlugins.Faulty");
        Assert.Equal(PluginStatus.Failed, record.Status);
        Assert.Equal("plugin.strategy-constructor-failed", record.Error!.Code);
        Assert.Equal(
            $"Plugin 'Medley.TestPlugins.Faulty' in {faulty}: constructing strategy 'faulty_merge' (class Medley.TestPlugins.Faulty.FaultyStrategy) threw InvalidOperationException: the Faulty test plugin refuses to start",
            record.Error.Message);
        Assert.Equal(PluginStatus.Loaded, host.Plugins.Plugins.Single(p => p.Id == "Medley.TestPlugins.Alpha").Status);
        var unknown = Assert.Throws<MedleyException>(() => host.Plugins.Resolve<IMergeMethod>("faulty_merge"));
        Assert.Contains("plugin 'Medley.TestPlugins.Faulty' declares it but failed to load", unknown.Message);
    }

    [Fact]
    public void A_plugin_can_be_unloaded_and_its_load_context_collected()
    {
        _sandbox.Add("Alpha");
        using var host = _sandbox.CreateHost();
        var weak = LoadUseAndUnload(host.Plugins);

        for (var i = 0; weak.IsAlive && i < 20; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(weak.IsAlive, "the plugin's load context should have been collected after unloading");
        Assert.DoesNotContain(host.Plugins.Strategies, s => s.Name == "alpha_blend");
    }

    [Fact]
    public void Search_order_puts_explicit_directories_first_and_shadows_later_plugins_with_the_same_id()
    {
        using var second = new PluginSandbox();
        var first = _sandbox.Add("Alpha");
        var shadowed = second.Add("Alpha");
        using var host = Medley.Host.Hosting.MedleyHost.CreateDefault(options =>
        {
            options.PluginDirectories.Add(_sandbox.Root);
            options.PluginDirectories.Add(second.Root);
            options.UseDefaultPluginLocations = false;
        });

        Assert.Equal([PluginStatus.Loaded, PluginStatus.Shadowed], host.Plugins.Plugins.Select(p => p.Status));
        Assert.Equal(
            $"Plugin 'Medley.TestPlugins.Alpha' in {shadowed} is shadowed by the plugin with the same id in {first}, which comes first in the search order.",
            host.Plugins.Plugins[1].Error!.Message);
    }

    [Fact]
    public async Task A_plugin_for_another_platform_is_listed_as_unsupported_not_failed()
    {
        var folder = _sandbox.Add("Beta");
        PluginSandbox.EditManifest(folder, m => m["platforms"] = new System.Text.Json.Nodes.JsonArray("win-arm64"));
        using (var host = _sandbox.CreateHost())
        {
            var record = host.Plugins.GetPlugin("Medley.TestPlugins.Beta");
            Assert.Equal(PluginStatus.Unsupported, record.Status);
            Assert.Equal(
                $"Plugin 'Medley.TestPlugins.Beta' in {folder} supports platforms [win-arm64] (field 'platforms') but this host runs on linux-x64.",
                record.Error!.Message);
        }

        var list = await CliRun.InvokeAsync("plugins", "list", "--plugins", _sandbox.Root, "--no-default-plugins");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("unsupported here", list.Stdout, StringComparison.Ordinal);
        var inspect = await CliRun.InvokeAsync("plugins", "inspect", "Medley.TestPlugins.Beta", "--plugins", _sandbox.Root, "--no-default-plugins");
        Assert.Equal(0, inspect.ExitCode);
    }

    private static WeakReference LoadUseAndUnload(PluginCatalog catalog)
    {
        // Kept out of the test method so that no local keeps a plugin type alive during collection.
        var blend = catalog.Resolve<IMergeMethod>("alpha_blend");
        Assert.Equal("12.0.0.0", Call<string>(blend, "get_JsonLibraryVersion"));
        return catalog.UnloadPlugin("Medley.TestPlugins.Alpha");
    }

    private static T Call<T>(object target, string method, params object[] args) =>
        (T)target.GetType().GetMethod(method, BindingFlags.Public | BindingFlags.Instance)!.Invoke(target, args)!;
}
