using System.Text.Json;
using Medley.Host.Schemas;

namespace Medley.Evaluation.Tests;

/// <summary>The report schema is a valid 2020-12 schema and rejects malformed reports (so that validating against it means something).</summary>
public sealed class SchemaTests
{
    private const string Valid = """
        {
          "subject": {"kind": "model", "name": "m", "location": "/m/model.onnx", "device": "cpu:0"},
          "tasksFile": "t.jsonl", "limit": null, "parallelism": 2, "items": 2, "correct": 1, "accuracy": 0.5,
          "tasks": [{"task": "add", "items": 2, "correct": 1, "accuracy": 0.5, "generatedTokens": 4}],
          "promptTokens": 10, "generatedTokens": 4, "wallSeconds": 0.1, "tokensPerSecond": 40,
          "calls": {"m": 5}, "counters": {},
          "results": [
            {"task": "add", "line": 1, "prompt": "1+1=", "answer": "2", "output": "2", "correct": true, "promptTokens": 4, "generatedTokens": 1, "stopReason": "eos"},
            {"task": "add", "line": 2, "prompt": "2+2=", "answer": "4", "output": "5", "correct": false, "promptTokens": 4, "generatedTokens": 3, "stopReason": "mismatch"}
          ]
        }
        """;

    [Fact]
    public void The_schema_is_a_valid_json_schema()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder!.FullName, "Host.sln")))
        {
            folder = folder.Parent;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.FullName, "schemas", "eval-report.schema.json")));
        Assert.Empty(JsonSchemaChecker.CheckSchema(document.RootElement));
    }

    [Fact]
    public void A_hand_written_report_is_valid()
    {
        using var document = JsonDocument.Parse(Valid);
        Assert.Empty(JsonSchemaChecker.Evaluate(Schema.Load(), document.RootElement));
    }

    [Theory]
    [InlineData("\"accuracy\": 0.5,", "\"accuracy\": 1.5,", "/accuracy")]
    [InlineData("\"stopReason\": \"eos\"", "\"stopReason\": \"tired\"", "/results/0/stopReason")]
    [InlineData("\"calls\": {\"m\": 5}", "\"calls\": {\"m\": \"five\"}", "/calls/m")]
    [InlineData("\"limit\": null", "\"limit\": 0", "/limit")]
    [InlineData("\"tasksFile\": \"t.jsonl\",", "", "/")]
    public void A_malformed_report_is_rejected_at_its_pointer(string original, string replacement, string pointer)
    {
        Assert.Contains(original, Valid, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(Valid.Replace(original, replacement, StringComparison.Ordinal));

        var problems = JsonSchemaChecker.Evaluate(Schema.Load(), document.RootElement);

        Assert.Contains(problems, p => p.StartsWith(pointer + ":", StringComparison.Ordinal));
    }
}
