using Medley.Sdk;
using Medley.Sdk.Testing;

namespace Medley.Merging.Tests;

/// <summary>Every merge plugin runs under the SDK's harness: all outputs written, inputs untouched, seeds reproducible.</summary>
public sealed class ContractHarnessTests
{
    // Every merge plugin the test project references, found the way the host finds strategies: by attribute.
    private static readonly Dictionary<string, Sdk.Merging.IMergeMethod> Plugins = Directory
        .EnumerateFiles(AppContext.BaseDirectory, "Medley.Merging.*.dll")
        .Where(f => !f.EndsWith("Medley.Merging.Tests.dll", StringComparison.Ordinal))
        .Select(f => System.Reflection.Assembly.Load(System.Reflection.AssemblyName.GetAssemblyName(f)))
        .SelectMany(a => a.GetTypes())
        .Where(t => t.GetCustomAttributes(typeof(MedleyStrategyAttribute), false).Length == 1 && typeof(Sdk.Merging.IMergeMethod).IsAssignableFrom(t))
        .ToDictionary(
            t => ((MedleyStrategyAttribute)t.GetCustomAttributes(typeof(MedleyStrategyAttribute), false)[0]).Name,
            t => (Sdk.Merging.IMergeMethod)Activator.CreateInstance(t)!);

    public static TheoryData<string> MethodNames() => new(Plugins.Keys.Order(StringComparer.Ordinal));

    [Fact]
    public void All_twenty_mergekit_methods_are_plugins() => Assert.Equal(20, Plugins.Count);

    [Theory]
    [MemberData(nameof(MethodNames))]
    public void Merges_under_the_contract_harness(string name)
    {
        var method = Plugins[name];
        var random = new Random(5);
        float[] Vector() => Enumerable.Range(0, 24).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var perModel = StrategyParameters.FromJson("{\"weight\": 0.5, \"density\": 0.5}");
        var models = Enumerable.Range(0, Math.Max(method.Traits.MinModels, Math.Min(2, method.Traits.MaxModels ?? 2)))
            .Select(_ => (Vector(), perModel))
            .ToList();
        var baseModel = method.Traits.BaseModel == Sdk.Merging.BaseModelUse.None ? null : Vector();
        var globals = StrategyParameters.FromJson("{\"t\": 0.3}");

        var first = MergeMethodHarness.Run(method, models, baseModel, globals, [4, 6], seed: 3);
        var second = MergeMethodHarness.Run(method, models, baseModel, globals, [4, 6], seed: 3);

        Assert.Equal(first, second);
        Assert.All(first, v => Assert.True(float.IsFinite(v), $"{name} produced {v}"));
    }
}
