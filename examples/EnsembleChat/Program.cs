// A Medley ensemble is an ordinary Microsoft.Extensions.AI IChatClient: this sample builds a router over two local
// models from a run config, puts it behind ChatClientBuilder middleware (logging, default options, timing) exactly as
// any .NET AI application would wrap a single model, and asks it questions. The models are the bundled skills
// models (tiny completion models, hence prompt_format: raw), exported to ONNX on first use.
using Medley.Host.Onnx.Export;
using Medley.Host.Responses;
using Medley.Host.Running;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

var skills = args.Length > 0 ? args[0] : FindSkills();
var work = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "medley-ensemble-chat");
foreach (var name in new[] { "ft-add", "ft-rev" })
{
    var onnx = Path.Combine(work, name);
    if (!File.Exists(Path.Combine(onnx, "model.onnx")))
    {
        OnnxExporter.Export(Path.Combine(skills, "models", name), onnx);
    }
}

// The same file format `medley respond` and `medley serve --run` read.
var config = RunConfigReader.Parse(
    """
    strategy: router
    models:
      member:
        - { path: ft-add, prompt_format: raw }
        - { path: ft-rev, prompt_format: raw }
    parameters:
      rules:
        - { pattern: "^rev:", member: ft-rev }
      default: ft-add
    sampling: { temperature: 0, max_tokens: 12 }
    """,
    source: "router.yml",
    folder: work);

using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
using var host = Medley.Host.Hosting.MedleyHost.CreateDefault(options =>
{
    options.UseDefaultPluginLocations = false;
    options.PluginDirectories.Add(Path.Combine(AppContext.BaseDirectory, "plugins"));
});
using var run = await RunChatClients.CreateAsync(host.Plugins, config, loggerFactory, CancellationToken.None);

// Middleware the application chooses; the ensemble underneath neither knows nor cares.
IChatClient chat = new ChatClientBuilder(run.Client)
    .UseLogging(loggerFactory)
    .ConfigureOptions(options => options.MaxOutputTokens ??= 10)
    .Use(inner => new TimingChatClient(inner))
    .Build();

foreach (var question in new[] { "012+345=", "rev:medley=", "120+077=" })
{
    var response = await chat.GetResponseAsync(question);
    var winner = response.AdditionalProperties?.TryGetValue(ResponseProperties.Winner, out var member) == true ? member : "?";
    var elapsed = response.AdditionalProperties?[TimingChatClient.ElapsedKey];
    Console.WriteLine($"{question} {response.Text}   answered by {winner} in {elapsed:0.0} ms");
}

Console.Write("streamed: rev:stream= ");
await foreach (var update in chat.GetStreamingResponseAsync("rev:stream="))
{
    Console.Write(update.Text);
}

Console.WriteLine();
foreach (var member in run.Members())
{
    Console.WriteLine($"{member.Name}: {member.Calls} call(s), {member.OutputTokens} token(s) out");
}

static string FindSkills()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        var candidate = Path.Combine(folder.FullName, "tests", "fixtures", "skills");
        if (Directory.Exists(candidate))
        {
            return candidate;
        }
    }

    throw new DirectoryNotFoundException("Pass the skills suite folder (tests/fixtures/skills of a Medley checkout) as the first argument.");
}
