// Embeds Medley in an ordinary .NET generic host: AddMedley registers the plugin catalog and the
// mediator pipeline; the application sends Medley's requests like any other Mediator request.
using Mediator;
using Medley.Host.Requests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddMedley(options =>
{
    // Plugins shipped with this application only; leave the defaults on to also see ~/.medley/plugins.
    options.UseDefaultPluginLocations = false;
    options.PluginDirectories.Add(Path.Combine(AppContext.BaseDirectory, "plugins"));
});

using var app = builder.Build();
var mediator = app.Services.GetRequiredService<IMediator>();

var listing = await mediator.Send(new ListPlugins());
Console.WriteLine($"{listing.Plugins.Count} plugins:");
foreach (var plugin in listing.Plugins)
{
    var strategies = string.Join(", ", plugin.Strategies.Select(s => $"{s.Name} ({s.Kind})"));
    Console.WriteLine($"  {plugin.Id} {plugin.Version} [{plugin.Status}] {strategies}");
}

// Ask a strategy what it would receive for a parameter block: validated against its schema, defaults filled in.
using var parameters = System.Text.Json.JsonDocument.Parse("""{ "weight": 0.5, "density": 0.4 }""");
var check = await mediator.Send(new CheckStrategyParameters("ties", parameters.RootElement));
Console.WriteLine($"ties would receive: {check.Effective}");
