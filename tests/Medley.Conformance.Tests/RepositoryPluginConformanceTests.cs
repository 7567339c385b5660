using Medley.Sdk;
using Medley.Sdk.Decoding;
using Medley.Sdk.Merging;
using Medley.Sdk.Providers;
using Medley.Sdk.Responses;
using Medley.Sdk.Testing;

namespace Medley.Conformance.Tests;

/// <summary>Every plugin in the repository passes the conformance kit, checked from its build output as the host loads it.</summary>
public sealed class RepositoryPluginConformanceTests
{
    public static TheoryData<string> PluginProjects() => new(RepositoryPlugins.Projects());

    [Fact]
    public void The_checked_projects_are_exactly_the_plugin_folders_with_a_manifest()
    {
        var root = Repository.Root();
        var manifests = Directory.EnumerateFiles(Path.Combine(root, "plugins"), PluginConformance.ManifestFileName, SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(root, Path.GetDirectoryName(p)!).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        var projectFolders = RepositoryPlugins.Projects().Select(p => p[..p.LastIndexOf('/')]).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(manifests, projectFolders);
        // At this writing: 20 merge methods, 3 step combiners, 2 decoding strategies, 2 response strategies, 2 providers.
        // New plugins join the check by themselves; fewer would mean the enumeration lost some.
        Assert.True(projectFolders.Count >= 29, $"only {projectFolders.Count} plugin projects found under plugins/");
    }

    [Theory]
    [MemberData(nameof(PluginProjects))]
    public async Task Plugin_passes_the_conformance_kit(string project)
    {
        var folder = RepositoryPlugins.OutputFolder(project);
        Assert.True(Directory.Exists(folder), $"{project} has no build output at {folder}; the test project builds every plugin, so a missing folder means a plugin is left out.");

        var plugin = PluginConformance.CheckManifest(folder);

        Assert.NotEmpty(plugin.Strategies);
        foreach (var strategy in plugin.Strategies)
        {
            await CheckAsync(plugin.CreateStrategy(strategy.Name), strategy);
        }
    }

    // The kit gives every declared role a member, optional ones included; a strategy whose optional role only takes
    // part under a parameter gets that parameter, so the role is exercised rather than refused as unused.
    private static readonly Dictionary<string, string> ResponseParameters = new(StringComparer.Ordinal)
    {
        ["pairwise-rank"] = """{"fuse_top_k": 2}""",
    };

    private static Task CheckAsync(IMedleyStrategy instance, ConformanceStrategy strategy)
    {
        var roles = ConformanceMembers.RoleNames(strategy.Roles);
        switch (instance)
        {
            case IMergeMethod method:
                // The parameters every mergekit method here understands; each ignores those it does not use.
                MergeMethodConformance.Check(method, new MergeConformanceOptions
                {
                    GlobalParameters = StrategyParameters.FromJson("""{"t": 0.3}"""),
                    ModelParameters = StrategyParameters.FromJson("""{"weight": 0.5, "density": 0.5}"""),
                });
                return Task.CompletedTask;
            case IStepCombiner combiner:
                return StepCombinerConformance.CheckAsync(combiner, new StepConformanceOptions { MemberRoles = roles });
            case IDecodingStrategy decoding:
                return DecodingStrategyConformance.CheckAsync(decoding, new DecodingConformanceOptions { MemberRoles = roles });
            case IResponseStrategy response:
                return ResponseStrategyConformance.CheckAsync(response, new ResponseConformanceOptions
                {
                    MemberRoles = roles,
                    Parameters = ResponseParameters.TryGetValue(strategy.Name, out var json) ? StrategyParameters.FromJson(json) : StrategyParameters.Empty,
                });
            case IExecutionProvider provider:
                ProviderConformance.Check(provider);
                return Task.CompletedTask;
            default:
                throw new InvalidOperationException($"Strategy '{strategy.Name}' is of kind {strategy.Kind}, which this test does not check.");
        }
    }
}
