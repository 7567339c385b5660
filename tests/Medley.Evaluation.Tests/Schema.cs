using System.Text.Json;
using Json.Schema;
using Medley.Host.Schemas;

namespace Medley.Evaluation.Tests;

/// <summary>schemas/eval-report.schema.json, found from the test's folder upwards.</summary>
public static class Schema
{
    public static JsonSchema Load()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Host.sln")))
        {
            folder = folder.Parent;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder!.FullName, "schemas", "eval-report.schema.json")));
        return JsonSchemaChecker.Build(document.RootElement);
    }
}
