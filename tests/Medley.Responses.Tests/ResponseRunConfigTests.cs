using Medley.Host.Chat;
using Medley.Host.Responses;
using Medley.Host.Running;
using Medley.Sdk;
using Microsoft.Extensions.Logging.Abstractions;

namespace Medley.Responses.Tests;

/// <summary>Run configs with remote and raw-format members: what is read, and each refusal's exact message.</summary>
public sealed class ResponseRunConfigTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public ResponseRunConfigTests() => Directory.CreateDirectory(_temp.Combine("models", "local"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Reads_remote_member_fields_cost_limits_and_free_parameters()
    {
        var config = Read("""
            strategy: vote
            models:
              member:
                - endpoint: https://api.example.com/v1
                  model: gpt-test
                  api_key_env: EXAMPLE_KEY
                  cost: { input_per_million: 2.5, output_per_million: 10 }
                  timeout_s: 7.5
                  retries: 4
                  tier: strong
                - { path: models/local, prompt_format: raw, name: small, timeout_s: 3 }
            """);

        var remote = config.Members[0];
        Assert.Equal("gpt-test", remote.Name);
        Assert.Equal(string.Empty, remote.Path);
        Assert.Equal(new RemoteMemberConfig(new Uri("https://api.example.com/v1"), "gpt-test", "EXAMPLE_KEY"), remote.Remote);
        Assert.Equal(new MemberCost(2.5, 10), remote.Cost);
        Assert.Equal(TimeSpan.FromSeconds(7.5), remote.Timeout);
        Assert.Equal(4, remote.Retries);
        Assert.Equal(new[] { "tier" }, remote.Parameters.Names);
        Assert.Equal("strong", remote.Parameters.GetString("tier", null));

        var local = config.Members[1];
        Assert.False(local.IsRemote);
        Assert.Equal(ChatPromptFormat.Raw, local.PromptFormat);
        Assert.Equal(_temp.Combine("models", "local"), local.Path);
        Assert.Equal(TimeSpan.FromSeconds(3), local.Timeout);
        Assert.Null(local.Cost);
        Assert.Empty(local.Parameters.Names);
    }

    [Fact]
    public void Defaults_are_template_format_two_retries_and_no_limit_or_price()
    {
        var member = Read("strategy: vote\nmodels:\n  member: [{ endpoint: 'http://127.0.0.1:9/v1', model: m }]\n").Members[0];

        Assert.Equal(ChatPromptFormat.Template, member.PromptFormat);
        Assert.Equal(2, member.Retries);
        Assert.Null(member.Timeout);
        Assert.Null(member.Cost);
        Assert.Null(member.Remote!.ApiKeyVariable);
    }

    [Fact]
    public void A_literal_api_key_is_refused_and_points_to_api_key_env()
    {
        var error = Assert.Throws<MedleyException>(() => Read("""
            strategy: vote
            models:
              member:
                - { endpoint: 'https://api.example.com/v1', model: m, api_key: sk-secret }
            """));

        Assert.Equal(RunErrorCodes.ConfigInvalid, error.Code);
        Assert.Equal(
            ["line 4, models.member[0].api_key: 'api_key' would put a secret in the run config, which is refused: name the environment variable holding the key with 'api_key_env' instead"],
            error.Details);
        Assert.DoesNotContain("sk-secret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://example.com/v1", "'ftp://example.com/v1' is not an http(s) URL: expected an OpenAI-compatible server's base URL like https://api.openai.com/v1")]
    [InlineData("api.example.com", "'api.example.com' is not an http(s) URL: expected an OpenAI-compatible server's base URL like https://api.openai.com/v1")]
    public void A_bad_endpoint_is_refused_with_the_field_and_line(string endpoint, string expected)
    {
        var error = Assert.Throws<MedleyException>(() => Read($"strategy: vote\nmodels:\n  member:\n    - {{ endpoint: '{endpoint}', model: m }}\n"));

        Assert.Equal([$"line 4, models.member[0].endpoint: {expected}"], error.Details);
    }

    [Theory]
    [InlineData("{ name: x }", "line 4, models.member[0]: a member needs 'path' (a local ONNX model folder) or 'endpoint' (an OpenAI-compatible server)")]
    [InlineData("{ path: models/local, endpoint: 'http://h/v1', model: m }", "line 4, models.member[0]: a member takes 'path' (a local ONNX model folder) or 'endpoint' (an OpenAI-compatible server), not both")]
    [InlineData("{ endpoint: 'http://h/v1' }", "line 4, models.member[0]: a remote member (with 'endpoint') needs 'model': the model name sent to the server")]
    [InlineData("{ path: models/local, retries: 3 }", "line 4, models.member[0].retries: 'retries' applies to remote members only (those with an 'endpoint')")]
    [InlineData("{ endpoint: 'http://h/v1', model: m, prompt_format: raw }", "line 4, models.member[0].prompt_format: 'prompt_format' applies to local members only: a remote server formats its own prompts")]
    [InlineData("{ path: models/local, prompt_format: chat }", "line 4, models.member[0].prompt_format: Value should match one of the values specified by the enum")]
    public void Member_shape_problems_are_named(string member, string expected)
    {
        var error = Assert.Throws<MedleyException>(() => Read($"strategy: vote\nmodels:\n  member:\n    - {member}\n"));

        Assert.Equal([expected], error.Details);
    }

    [Theory]
    [InlineData("cost: { input_per_million: -1 }", "line 6, models.member[0].cost.input_per_million: -1 should be at least 0")]
    [InlineData("retries: 11", "line 6, models.member[0].retries: 11 should be at most 10")]
    [InlineData("timeout_s: 0", "line 6, models.member[0].timeout_s: 0 should be greater than 0")]
    [InlineData("api_key_env: 'sk-abc'", "line 6, models.member[0].api_key_env: The string value is not a match for the indicated regular expression")]
    public void The_schema_bounds_remote_member_fields(string field, string expected)
    {
        var error = Assert.Throws<MedleyException>(() => Read($"strategy: vote\nmodels:\n  member:\n    - endpoint: 'http://h/v1'\n      model: m\n      {field}\n"));

        Assert.Equal(expected, Assert.Single(error.Details));
    }

    [Fact]
    public async Task The_strategys_own_parameters_are_checked_before_anything_connects()
    {
        var config = Read("strategy: vote\nmodels:\n  member: [{ endpoint: 'http://127.0.0.1:9/v1', model: m }]\nparameters: { samples: 0 }\n");
        await using var host = Support.CreateHost();

        var error = await Assert.ThrowsAsync<MedleyException>(() => RunChatClients.CreateAsync(host.Plugins, config, NullLoggerFactory.Instance, CancellationToken.None));

        Assert.Equal("request.invalid", error.Code);
        Assert.Contains("parameters of strategy 'vote' at /samples", Assert.Single(error.Details), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_cost_field_lists_the_known_ones()
    {
        var error = Assert.Throws<MedleyException>(() => Read("strategy: vote\nmodels:\n  member:\n    - endpoint: 'http://h/v1'\n      model: m\n      cost: { per_token: 1 }\n"));

        Assert.Equal(["line 6, models.member[0].cost.per_token: unknown field: expected one of input_per_million, output_per_million"], error.Details);
    }

    [Fact]
    public async Task An_unknown_role_is_refused_before_anything_loads_or_connects()
    {
        var config = Read("strategy: vote\nmodels:\n  judge: [{ endpoint: 'http://127.0.0.1:9/v1', model: m }]\n");
        await using var host = Support.CreateHost();

        var error = await Assert.ThrowsAsync<MedleyException>(() => RunChatClients.CreateAsync(host.Plugins, config, NullLoggerFactory.Instance, CancellationToken.None));

        Assert.Equal(RunErrorCodes.RolesInvalid, error.Code);
        Assert.Equal(
            ["models.judge: strategy 'vote' has no role 'judge' (its roles: member)", "models.member: strategy 'vote' requires a model for role 'member' (A chat model whose answers join the pool), but none is given"],
            error.Details);
    }

    [Fact]
    public async Task The_api_key_comes_from_the_named_environment_variable_and_an_unset_one_is_refused()
    {
        var variable = "MEDLEY_TEST_KEY_" + Guid.NewGuid().ToString("N");
        var config = Read($"strategy: vote\nmodels:\n  member: [{{ endpoint: 'http://127.0.0.1:9/v1', model: m, name: remote, api_key_env: {variable} }}]\n");
        await using var host = Support.CreateHost();

        var error = await Assert.ThrowsAsync<MedleyException>(() => RunChatClients.CreateAsync(host.Plugins, config, NullLoggerFactory.Instance, CancellationToken.None));
        Assert.Equal(ResponseErrorCodes.ApiKeyMissing, error.Code);
        Assert.Equal(
            $"Run config '{config.Source}': member 'remote' (models.member) takes its API key from the environment variable '{variable}' (api_key_env), which is not set. Set the variable before the run; keys are never read from the file.",
            error.Message);

        Environment.SetEnvironmentVariable(variable, "sk-test");
        try
        {
            using var run = await RunChatClients.CreateAsync(host.Plugins, config, NullLoggerFactory.Instance, CancellationToken.None);
            Assert.Equal("response", run.Kind);
            Assert.Equal("m @ http://127.0.0.1:9/v1", Assert.Single(run.Members()).Location);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task A_token_level_strategy_refuses_remote_members()
    {
        var config = Read("strategy: logit-average\nmodels:\n  member: [{ endpoint: 'http://127.0.0.1:9/v1', model: m }]\n");
        await using var host = Support.CreateHost();

        var error = await Assert.ThrowsAsync<MedleyException>(() => RunChatClients.CreateAsync(host.Plugins, config, NullLoggerFactory.Instance, CancellationToken.None));

        Assert.Equal(RunErrorCodes.MemberRemote, error.Code);
        Assert.Equal(
            $"Run config '{config.Source}' names remote member(s) 'm' (models.member), but strategy 'logit-average' is token-level (step) and needs every member's logits: give local ONNX model folders ('path'), or use a response strategy.",
            error.Message);
    }

    private RunConfig Read(string yaml)
    {
        var path = _temp.Combine("run.yml");
        File.WriteAllText(path, yaml);
        return RunConfigReader.Read(path);
    }
}
