using System.Text.Json;
using Medley.Host.Hosting;
using Medley.Host.Plugins;
using Medley.Host.Requests;
using Medley.Sdk;
using Medley.Sdk.Decoding;

namespace Medley.Speculative.Tests;

public sealed class PluginCatalogTests
{
    [Fact]
    public async Task The_host_loads_the_plugin_with_its_roles_and_parameter_defaults()
    {
        var options = new MedleyOptions { UseDefaultPluginLocations = false };
        options.PluginDirectories.Add(Path.Combine(AppContext.BaseDirectory, "speculative-plugins"));
        using var catalog = new PluginCatalog(options);

        var descriptor = catalog.GetStrategy("speculative", StrategyKind.Decoding);
        Assert.IsAssignableFrom<IDecodingStrategy>(catalog.Resolve<IDecodingStrategy>("speculative"));
        Assert.Equal(["target", "draft"], descriptor.Roles.Select(r => r.Name));
        Assert.All(descriptor.Roles, r => Assert.True(r.Required && !r.Multiple));

        var checkedParameters = await new CheckStrategyParametersHandler(catalog)
            .Handle(new CheckStrategyParameters("speculative", JsonDocument.Parse("""{"draft_tokens": 3}""").RootElement), CancellationToken.None);
        var effective = checkedParameters.Effective;
        Assert.Equal(3, effective.GetProperty("draft_tokens").GetInt32());
        Assert.Equal("fixed", effective.GetProperty("schedule").GetString());
        Assert.Equal(0.4, effective.GetProperty("confidence_threshold").GetDouble());
    }
}
