using System.ClientModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Medley.Chat.Tests;
using Medley.Cli;
using Medley.Host.Chat;
using Medley.Runtime.Tests;
using OpenAI;
using OpenAI.Chat;
using AI = Microsoft.Extensions.AI;

namespace Medley.Server.Tests;

/// <summary><c>medley serve</c> as a second process on loopback, and its refusals at start-up.</summary>
public sealed class ServeCommandTests(ChatModelFixture fixture) : IClassFixture<ChatModelFixture>
{
    [Fact]
    public async Task Medley_serve_in_a_second_process_answers_the_openai_client_and_stops_on_sigint()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            typeof(MedleyCli).Assembly.Location, "serve", "--urls", "http://127.0.0.1:0", "--json", "--no-default-plugins",
            "--model", fixture.ModelPath, "--api-key-env", "MEDLEY_TEST_SERVE_KEY",
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MEDLEY_TEST_SERVE_KEY"] = "process-key";
        using var process = Process.Start(start)!;
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => stderr.AppendLine(e.Data);
        process.BeginErrorReadLine();
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(line is not null, "medley serve printed nothing: " + stderr);
            var ready = JsonNode.Parse(line)!;
            var url = ready["urls"]!.AsArray().Single()!.GetValue<string>();
            Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);
            Assert.Equal(["onnx"], ready["models"]!.AsArray().Select(m => m!.GetValue<string>()));

            var client = new ChatClient("onnx", new ApiKeyCredential("process-key"), new OpenAIClientOptions { Endpoint = new Uri(url + "/v1") });
            ChatCompletion completion = await client.CompleteChatAsync(
                [new UserChatMessage("hello")], new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 12 });

            using var direct = new OnnxChatClient(fixture.Model, "onnx");
            var expected = await direct.GetResponseAsync([new AI.ChatMessage(AI.ChatRole.User, "hello")], new AI.ChatOptions { Temperature = 0, MaxOutputTokens = 12 });
            Assert.Equal(expected.Text, completion.Content.Single().Text);

            var streamed = new StringBuilder();
            await foreach (var update in client.CompleteChatStreamingAsync(
                [new UserChatMessage("hello")], new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 12 }))
            {
                streamed.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            }

            Assert.Equal(expected.Text, streamed.ToString());

            // Ctrl+C (SIGINT) is how a server is stopped: it shuts down cleanly with exit code 0.
            using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {stderr}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task A_run_file_with_an_unknown_strategy_bad_parameters_or_an_unset_key_fails_serve_before_it_listens()
    {
        using var temp = new TempFolder();
        var unknown = temp.Combine("unknown.yml");
        File.WriteAllText(unknown, $"strategy: no-such-strategy\nmodels:\n  member:\n    - {{ path: '{fixture.ModelPath}' }}\n");
        var unsetKey = temp.Combine("remote.yml");
        var variable = "MEDLEY_TEST_SURELY_UNSET_" + Guid.NewGuid().ToString("N");
        File.WriteAllText(unsetKey, $"strategy: vote\nmodels:\n  member:\n    - {{ endpoint: 'http://127.0.0.1:9/v1', model: m, api_key_env: {variable} }}\n");

        var badParameters = temp.Combine("bad-parameters.yml");
        File.WriteAllText(badParameters, $"strategy: vote\nmodels:\n  member:\n    - {{ path: '{fixture.ModelPath}' }}\nparameters: {{ samples: 0 }}\n");

        var (parametersCode, _, parametersErr) = await RunCliAsync("serve", "--run", badParameters, "--plugins", PluginFolder, "--urls", "http://127.0.0.1:0");
        var (unknownCode, unknownOut, unknownErr) = await RunCliAsync("serve", "--run", unknown, "--plugins", PluginFolder, "--urls", "http://127.0.0.1:0");
        var (keyCode, keyOut, keyErr) = await RunCliAsync("serve", "--run", unsetKey, "--plugins", PluginFolder, "--urls", "http://127.0.0.1:0");

        // Both end at once with an error (a server that had started would have printed its banner and kept running).
        Assert.NotEqual(0, unknownCode);
        Assert.DoesNotContain("Serving", unknownOut, StringComparison.Ordinal);
        Assert.Contains("no-such-strategy", unknownErr, StringComparison.Ordinal);
        Assert.NotEqual(0, keyCode);
        Assert.DoesNotContain("Serving", keyOut, StringComparison.Ordinal);
        Assert.Contains(variable, keyErr, StringComparison.Ordinal);
        Assert.Equal(3, parametersCode);
        Assert.Contains(ServerErrorCodes.RunInvalid, parametersErr, StringComparison.Ordinal);
        Assert.Contains("samples", parametersErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_without_a_model_is_refused_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "medley-serve-no-model-" + Guid.NewGuid().ToString("N"));
        var (code, _, stderr) = await RunCliAsync("serve", "--model", missing);

        Assert.Equal(3, code);
        Assert.Contains(ServerErrorCodes.ModelFolderMissing, stderr, StringComparison.Ordinal);
        Assert.Contains(missing, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_to_serve_and_an_unset_key_variable_are_usage_errors()
    {
        var (nothing, _, nothingError) = await RunCliAsync("serve");
        var (unsetKey, _, keyError) = await RunCliAsync("serve", "--model", fixture.ModelPath, "--api-key-env", "MEDLEY_TEST_SURELY_UNSET_" + Guid.NewGuid().ToString("N"));
        var (badQueue, _, queueError) = await RunCliAsync("serve", "--model", fixture.ModelPath, "--concurrency", "0");

        Assert.Equal(2, nothing);
        Assert.Contains(ServerErrorCodes.NothingToServe, nothingError, StringComparison.Ordinal);
        Assert.Equal(2, unsetKey);
        Assert.Contains("MEDLEY_TEST_SURELY_UNSET_", keyError, StringComparison.Ordinal);
        Assert.Equal(2, badQueue);
        Assert.Contains("concurrency is 0", queueError, StringComparison.Ordinal);
    }

    private static string PluginFolder => Path.Combine(AppContext.BaseDirectory, "plugins");

    private static async Task<(int Code, string Stdout, string Stderr)> RunCliAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await MedleyCli.RunAsync([.. args, "--no-default-plugins"], stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
