using Medley.Sdk.Decoding;
using Medley.Sdk.Merging;
using Medley.Sdk.Responses;
using Medley.Sdk.Testing;

namespace Company.Plugin.Tests;

/// <summary>
/// Medley.Sdk.Testing's conformance kit checks the built plugin the way the host will load and use it: the stamped
/// manifest against its schema and the assembly, the file digests, the parameter schema's defaults, and for each
/// strategy its contract (cancellation, inputs left untouched, the same result for the same seed, valid outputs,
/// a failing member survived).
/// </summary>
public sealed class ConformanceTests
{
    [Fact]
    public async Task The_built_plugin_passes_the_conformance_kit()
    {
        var plugin = PluginConformance.CheckManifest(PluginOutputFolder());

        Assert.NotEmpty(plugin.Strategies);
        foreach (var strategy in plugin.Strategies)
        {
            var roles = ConformanceMembers.RoleNames(strategy.Roles);
            switch (plugin.CreateStrategy(strategy.Name))
            {
                case IMergeMethod method:
                    MergeMethodConformance.Check(method);
                    break;
                case IStepCombiner combiner:
                    await StepCombinerConformance.CheckAsync(combiner, new StepConformanceOptions { MemberRoles = roles });
                    break;
                case IDecodingStrategy decoding:
                    await DecodingStrategyConformance.CheckAsync(decoding, new DecodingConformanceOptions { MemberRoles = roles });
                    break;
                case IResponseStrategy response:
                    await ResponseStrategyConformance.CheckAsync(response, new ResponseConformanceOptions { MemberRoles = roles });
                    break;
                case var other:
                    Assert.Fail($"Strategy '{strategy.Name}' ({other.GetType().Name}) is of a kind this test does not dispatch.");
                    break;
            }
        }
    }

    // The plugin build writes the stamped manifest (with its file digests) into the plugin project's own output:
    // tests/Company.Plugin.Tests/bin/<Configuration>/<tfm> → src/Company.Plugin/bin/<Configuration>/<tfm>.
    private static string PluginOutputFolder()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!;
        var root = configuration.Parent!.Parent!.Parent!.Parent!;
        return Path.Combine(root.FullName, "src", "Company.Plugin", "bin", configuration.Name, output.Name);
    }
}
