using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Medley.Cli;
using Medley.Host.Hosting;
using Medley.Host.Onnx.Export;
using Medley.Runtime.Tests;

namespace Medley.ResponseEndToEnd.Tests;

/// <summary>
/// The skills checkpoints <c>ft-add</c>, <c>ft-sub</c> and <c>base</c> and a tiny wide-vocabulary model exported to ONNX once, a host whose plugins are
/// the six response strategies built beside the tests, and ONE <c>medley serve</c> child process serving the four
/// models and one vote run on loopback (raw prompts, bearer key required) for the runs whose members are remote.
/// </summary>
public sealed class ServedSkills : IAsyncLifetime
{
    /// <summary>The environment variable remote members name in <c>api_key_env</c>; the served process requires its value.</summary>
    public const string KeyVariable = "MEDLEY_E2E_SERVE_KEY";

    /// <summary>The served models: three skills checkpoints and <see cref="WideModel"/>.</summary>
    public static readonly string[] ModelNames = ["ft-add", "ft-sub", "base", WideModel];

    /// <summary>
    /// A tiny seeded GPT-2 with a character vocabulary wide enough for prompts the skills vocabulary cannot spell
    /// (digits, '+', '=' and also '.', space and newline, as in mixture-of-agents' numbered proposals).
    /// </summary>
    public const string WideModel = "wide";

    /// <summary>A vote run (ft-add twice and base, local members) served by the same process under this id.</summary>
    public const string ServedRun = "served-vote";

    // Printable ASCII and newline; the end-of-sequence token comes last.
    private static readonly string WideAlphabet = new([.. Enumerable.Range(32, 95).Select(c => (char)c), '\n']);

    private readonly TempFolder _temp = new();
    private readonly StringBuilder _serverErrors = new();
    private Process? _server;

    public string Skills { get; } = FindSkills();

    /// <summary>The OpenAI-compatible base URL of the served process (ends in /v1).</summary>
    public string Endpoint { get; private set; } = string.Empty;

    public MedleyHost Host { get; } = MedleyHost.CreateDefault(options =>
    {
        options.PluginDirectories.Add(Path.Combine(AppContext.BaseDirectory, "plugins"));
        options.UseDefaultPluginLocations = false;
    });

    public string Folder => _temp.Path;

    public string ModelPath(string name) => _temp.Combine("onnx", name);

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(KeyVariable, "e2e-key");
        foreach (var name in ModelNames.Where(n => n != WideModel))
        {
            OnnxExporter.Export(Path.Combine(Skills, "models", name), ModelPath(name));
        }

        OnnxExporter.Export(WriteWideCheckpoint(), ModelPath(WideModel));

        File.WriteAllText(
            _temp.Combine(ServedRun + ".yml"),
            $"strategy: vote\nmodels:\n  member:\n"
            + $"    - {{ path: '{ModelPath("ft-add")}', name: add1, prompt_format: raw }}\n"
            + $"    - {{ path: '{ModelPath("ft-add")}', name: add2, prompt_format: raw }}\n"
            + $"    - {{ path: '{ModelPath("base")}', name: base, prompt_format: raw }}\n"
            + "sampling: { temperature: 0, max_tokens: 8 }\n");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments =
        [
            typeof(MedleyCli).Assembly.Location, "serve", "--urls", "http://127.0.0.1:0", "--json", "--no-default-plugins",
            "--prompt-format", "raw", "--api-key-env", KeyVariable, "--concurrency", "8",
            .. ModelNames.SelectMany(name => new[] { "--model", ModelPath(name) }),
            "--run", _temp.Combine(ServedRun + ".yml"), "--plugins", Path.Combine(AppContext.BaseDirectory, "plugins"),
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[KeyVariable] = "e2e-key";
        _server = Process.Start(start)!;
        _server.ErrorDataReceived += (_, e) =>
        {
            lock (_serverErrors)
            {
                _serverErrors.AppendLine(e.Data);
            }
        };
        _server.BeginErrorReadLine();
        var line = await _server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (line is null)
        {
            throw new InvalidOperationException("medley serve printed nothing: " + ServerErrors());
        }

        var ready = JsonNode.Parse(line)!;
        Endpoint = ready["urls"]!.AsArray().Single()!.GetValue<string>() + "/v1";
    }

    public string ServerErrors()
    {
        lock (_serverErrors)
        {
            return _serverErrors.ToString();
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is { } server)
        {
            if (!server.HasExited)
            {
                using (var interrupt = Process.Start("kill", ["-INT", server.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await interrupt.WaitForExitAsync();
                }

                try
                {
                    await server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
                }
                catch (TimeoutException)
                {
                    server.Kill(entireProcessTree: true);
                }
            }

            server.Dispose();
        }

        await Host.DisposeAsync();
        _temp.Dispose();
    }

    private string WriteWideCheckpoint()
    {
        var hf = TinyCheckpoint.Gpt2(seed: 5, vocab: WideAlphabet.Length + 1, positions: 128).Write(_temp.Combine("hf-wide"));
        var vocab = WideAlphabet.Select((c, i) => (Token: c.ToString(), Id: i)).ToDictionary(p => p.Token, p => p.Id);
        vocab["<eos>"] = WideAlphabet.Length;
        var tokenizer = new Dictionary<string, object?>
        {
            ["added_tokens"] = new[] { new { id = WideAlphabet.Length, content = "<eos>", single_word = false, lstrip = false, rstrip = false, normalized = false, special = true } },
            ["normalizer"] = null,
            ["pre_tokenizer"] = null,
            ["decoder"] = null,
            ["model"] = new { type = "WordLevel", vocab, unk_token = (string?)null },
        };
        File.WriteAllText(Path.Combine(hf, "tokenizer.json"), JsonSerializer.Serialize(tokenizer));
        File.WriteAllText(Path.Combine(hf, "tokenizer_config.json"), JsonSerializer.Serialize(new Dictionary<string, object?> { ["eos_token"] = "<eos>", ["bos_token"] = null }));
        return hf;
    }

    private static string FindSkills()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Host.sln")))
            {
                return Path.Combine(folder.FullName, "tests", "fixtures", "skills");
            }
        }

        throw new InvalidOperationException($"No Host.sln above {AppContext.BaseDirectory}: the tests must run inside the repository.");
    }
}
