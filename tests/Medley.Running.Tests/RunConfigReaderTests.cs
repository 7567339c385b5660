using Medley.Host.Running;
using Medley.Runtime.Tests;
using Medley.Sdk;

namespace Medley.Running.Tests;

public sealed class RunConfigReaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public RunConfigReaderTests()
    {
        Directory.CreateDirectory(_temp.Combine("models", "a"));
        Directory.CreateDirectory(_temp.Combine("models", "b"));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Reads_roles_lists_member_parameters_and_sampling_with_paths_relative_to_the_file()
    {
        var config = Read("""
            strategy: logit-average
            models:
              member:
                - ./models/a
                - { path: models/b, name: second, device: cpu, weight: 3 }
            parameters: { mode: product }
            sampling: { temperature: 0, top_k: 5, max_tokens: 7, seed: 42, stop: "." }
            device: auto
            """);

        Assert.Equal("logit-average", config.Strategy);
        Assert.Equal("auto", config.Device);
        Assert.Equal(2, config.Members.Count);
        Assert.Equal(("member", _temp.Combine("models", "a"), "a", (string?)null), (config.Members[0].Role, config.Members[0].Path, config.Members[0].Name, config.Members[0].Device));
        Assert.Empty(config.Members[0].Parameters.Names);
        Assert.Equal(_temp.Combine("models", "b"), config.Members[1].Path);
        Assert.Equal("second", config.Members[1].Name);
        Assert.Equal("cpu", config.Members[1].Device);
        Assert.Equal(3.0, config.Members[1].Parameters.GetDouble("weight", 0));
        Assert.Equal("product", config.Parameters.GetProperty("mode").GetString());
        Assert.Equal(0.0, config.Sampling.Temperature);
        Assert.Equal(5, config.Sampling.TopK);
        Assert.Equal(7, config.Sampling.MaxTokens);
        Assert.Equal(42UL, config.Sampling.Seed);
        Assert.Equal(["."], config.Sampling.StopStrings);
    }

    [Fact]
    public void A_single_model_role_takes_a_path_and_the_defaults_hold()
    {
        var config = Read("""
            strategy: speculative
            models: { target: ./models/a, draft: ./models/b }
            """);

        Assert.Equal(["target", "draft"], config.Members.Select(m => m.Role));
        Assert.Equal("cpu", config.Device);
        Assert.Equal(256, config.Sampling.MaxTokens);
        Assert.Equal(1.0, config.Sampling.Temperature);
    }

    [Fact]
    public void Schema_problems_name_the_line_and_field_all_at_once()
    {
        var error = Assert.Throws<MedleyException>(() => Read("""
            strategy: logit-average
            models:
              member: [./models/a]
            sampling:
              temperature: -1
              max_tokens: 0
            colour: blue
            """));

        Assert.Equal(RunErrorCodes.ConfigInvalid, error.Code);
        Assert.StartsWith($"Run config '{_temp.Combine("run.yml")}' has ", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Details.Count);
        Assert.Contains(error.Details, d => d.StartsWith("line 5, sampling.temperature: -1 should be at least 0", StringComparison.Ordinal));
        Assert.Contains(error.Details, d => d.StartsWith("line 6, sampling.max_tokens: 0 should be at least 1", StringComparison.Ordinal));
        Assert.Contains("line 7, colour: unknown field: expected one of strategy, models, parameters, sampling, device", error.Details);
    }

    [Fact]
    public void A_missing_strategy_is_reported_for_the_whole_document()
    {
        var error = Assert.Throws<MedleyException>(() => Read("models: { member: ./models/a }"));
        Assert.Single(error.Details);
        Assert.StartsWith("line 1: ", error.Details[0], StringComparison.Ordinal);
        Assert.Contains("strategy", error.Details[0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_model_folder_is_named_with_its_line_as_written_and_resolved()
    {
        var error = Assert.Throws<MedleyException>(() => Read("""
            strategy: logit-average
            models:
              member:
                - ./models/a
                - ./models/missing
            """));

        Assert.Equal(
            $"line 5, models.member[1]: model folder './models/missing' ({_temp.Combine("models", "missing")}) does not exist: expected an ONNX model folder",
            Assert.Single(error.Details));
    }

    [Fact]
    public void Two_members_with_one_name_are_refused()
    {
        var error = Assert.Throws<MedleyException>(() => Read("""
            strategy: logit-average
            models:
              member: [./models/a, { path: ./models/b, name: a }]
            """));

        Assert.Equal("line 3, models.member[1]: member name 'a' is already used by another member: give each a distinct 'name'", Assert.Single(error.Details));
    }

    [Fact]
    public void Malformed_yaml_gives_its_position()
    {
        var error = Assert.Throws<MedleyException>(() => Read("strategy: [unclosed\nmodels: {}\n"));
        Assert.Equal(RunErrorCodes.ConfigInvalid, error.Code);
        Assert.StartsWith($"Run config '{_temp.Combine("run.yml")}' is not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        var path = _temp.Combine("nope.yml");
        var error = Assert.Throws<MedleyException>(() => RunConfigReader.Read(path));
        Assert.Equal($"Run config '{path}' does not exist: expected a YAML file.", error.Message);
    }

    private RunConfig Read(string yaml)
    {
        var path = _temp.Combine("run.yml");
        File.WriteAllText(path, yaml);
        return RunConfigReader.Read(path);
    }
}
