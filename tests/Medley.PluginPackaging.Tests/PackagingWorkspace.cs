using Medley.Cooperation.Tests.Support;
using Medley.Runtime.Tests;

namespace Medley.PluginPackaging.Tests;

/// <summary>
/// A temp folder with a local folder feed holding this commit's Medley.Sdk, Medley.Sdk.Testing and Medley.Templates
/// packages, and a work folder whose nuget.config sees only that feed and the machine's package folder (so restores
/// run offline and cannot pick up a Medley.Sdk from anywhere else). Third-party projects are made under the work folder
/// with their own NUGET_PACKAGES and template hive.
/// </summary>
public sealed class PackagingWorkspace : IDisposable
{
    private readonly TempFolder _folder = new();

    public PackagingWorkspace()
    {
        RepositoryRoot = Repository.Root();
        Feed = Directory.CreateDirectory(_folder.Combine("feed")).FullName;
        Work = Directory.CreateDirectory(_folder.Combine("work")).FullName;
        TemplateHive = _folder.Combine("template-hive");
        Environment = new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = _folder.Combine("nuget-packages"),
            ["DOTNET_CLI_HOME"] = Directory.CreateDirectory(_folder.Combine("cli-home")).FullName,
        };

        foreach (var project in new[] { "sdk/Medley.Sdk/Medley.Sdk.csproj", "sdk/Medley.Sdk.Testing/Medley.Sdk.Testing.csproj", "sdk/templates/Medley.Templates.csproj" })
        {
            // The repository's own packs restore the usual way; only the third-party side is isolated.
            DotnetCommand.Run(RepositoryRoot, new Dictionary<string, string>(), "pack", Path.Combine(RepositoryRoot, project), "-o", Feed);
        }

        var machinePackages = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(Work, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="medley-local" value="{Feed}" />
                <add key="machine" value="{machinePackages}" />
              </packageSources>
            </configuration>
            """);

        var template = Directory.GetFiles(Feed, "Medley.Templates.*.nupkg").Single();
        DotnetCommand.Run(Work, Environment, "new", "install", template, "--debug:custom-hive", TemplateHive);
    }

    public string RepositoryRoot { get; }

    /// <summary>The local folder feed with this commit's Medley packages.</summary>
    public string Feed { get; }

    /// <summary>Where third-party projects are created; its nuget.config points at <see cref="Feed"/>.</summary>
    public string Work { get; }

    /// <summary>The template hive Medley.Templates is installed into (dotnet new --debug:custom-hive).</summary>
    public string TemplateHive { get; }

    /// <summary>NUGET_PACKAGES and DOTNET_CLI_HOME of the child processes, both inside the temp folder.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(Work, name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    public void Dispose() => _folder.Dispose();
}
