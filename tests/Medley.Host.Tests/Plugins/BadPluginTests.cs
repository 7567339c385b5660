using System.Text.Json.Nodes;
using Medley.Host.Plugins;
using Medley.Host.Tests.Support;

namespace Medley.Host.Tests.Plugins;

/// <summary>
/// Each way a plugin can be broken gives its own error naming the plugin folder, the field or file and what
/// was expected; the host keeps running, and the CLI exits with 3.
/// </summary>
public sealed class BadPluginTests : IDisposable
{
    private readonly PluginSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Fact]
    public async Task Manifest_that_is_not_json()
    {
        var folder = _sandbox.Add("Alpha");
        File.WriteAllText(PluginSandbox.ManifestPath(folder), "{ \"id\": \"x\",\n  oops }");

        await AssertRefused(
            folder,
            "plugin.manifest.not-json",
            $"{folder}/medley-plugin.json is not valid JSON (line 2, byte 3): expected a JSON object as described by plugin-manifest.schema.json.");
    }

    [Fact]
    public async Task Manifest_missing_a_required_field()
    {
        var folder = _sandbox.Add("Alpha");
        PluginSandbox.EditManifest(folder, m => m.Remove("entryAssembly"));

        await AssertRefused(
            folder,
            "plugin.manifest.invalid",
            $"{folder}/medley-plugin.json is invalid: field 'entryAssembly' is missing (expected the entry assembly's file name, e.g. 'Acme.Merging.Foo.dll').");
    }

    [Fact]
    public async Task Manifest_field_of_the_wrong_type()
    {
        var folder = _sandbox.Add("Alpha");
        PluginSandbox.EditManifest(folder, m => m["tags"] = "test");

        await AssertRefused(
            folder,
            "plugin.manifest.invalid",
            $"{folder}/medley-plugin.json is invalid: field 'tags': Value is \"string\" but should be \"array\".");
    }

    [Fact]
    public async Task Version_that_is_not_semver()
    {
        var folder = _sandbox.Add("Alpha");
        PluginSandbox.EditManifest(folder, m => m["version"] = "1.2");

        await AssertRefused(
            folder,
            "plugin.manifest.invalid",
            $"{folder}/medley-plugin.json is invalid: field 'version': '1.2' is not a SemVer 2.0.0 version (expected MAJOR.MINOR.PATCH with optional -PRERELEASE and +BUILD, e.g. '1.2.0' or '1.2.0-beta.1').");
    }

    [Fact]
    public async Task Unknown_strategy_kind()
    {
        var folder = _sandbox.Add("Alpha");
        PluginSandbox.EditManifest(folder, m => m["strategies"]![1]!["kind"] = "blend");

        await AssertRefused(
            folder,
            "plugin.manifest.invalid",
            $"{folder}/medley-plugin.json is invalid: field 'strategies[1].kind': 'blend' is not a strategy kind (expected one of merge, step, decoding, response, provider).");
    }

    [Fact]
    public async Task Parameters_schema_that_is_not_a_valid_schema()
    {
        var folder = _sandbox.Add("Alpha");
        PluginSandbox.EditManifest(folder, m => m["strategies"]![0]!["parameters"] = JsonNode.Parse("{\"type\": \"decimal\"}"));

        var error = await AssertRefused(folder, "plugin.manifest.invalid", expectedMessage: null);
        Assert.StartsWith(
            $"{folder}/medley-plugin.json is invalid: field 'strategies[0].parameters' (strategy 'alpha_blend') is not a valid JSON Schema 2020-12: /type: ",
            error);
    }

    [Fact]
    public async Task Entry_assembly_missing()
    {
        var folder = _sandbox.Add("Alpha");
        File.Delete(Path.Combine(folder, "Medley.TestPlugins.Alpha.dll"));

        await AssertRefused(
            folder,
            "plugin.entry-assembly-missing",
            $"Plugin 'Medley.TestPlugins.Alpha' in {folder}: the entry assembly 'Medley.TestPlugins.Alpha.dll' named by field 'entryAssembly' does not exist in the plugin folder.");
    }

    [Fact]
    public async Task Strategy_declared_but_not_found()
    {
        var folder = _sandbox.Add("Alpha");
        PluginSandbox.EditManifest(folder, m => m["strategies"]!.AsArray().Add(JsonNode.Parse("{\"name\": \"alpha_ghost\", \"kind\": \"merge\", \"summary\": \"Not there.\"}")));

        await AssertRefused(
            folder,
            "plugin.strategy-not-found",
            $"Plugin 'Medley.TestPlugins.Alpha' in {folder}: strategy 'alpha_ghost' (kind merge) is declared in medley-plugin.json but Medley.TestPlugins.Alpha.dll has no class with [MedleyStrategy(\"alpha_ghost\")] implementing IMergeMethod.");
    }

    [Fact]
    public async Task Strategy_found_but_not_declared()
    {
        var folder = _sandbox.Add("Alpha");
        PluginSandbox.EditManifest(folder, m => m["strategies"]!.AsArray().RemoveAt(1));

        await AssertRefused(
            folder,
            "plugin.strategy-undeclared",
            $"Plugin 'Medley.TestPlugins.Alpha' in {folder}: class Medley.TestPlugins.Alpha.AlphaMean implements strategy 'alpha_mean' (kind step) which medley-plugin.json does not declare in 'strategies'.");
    }

    [Fact]
    public async Task Sdk_range_that_excludes_this_host()
    {
        var folder = _sandbox.Add("Alpha");
        PluginSandbox.EditManifest(folder, m => m["sdk"] = "[2.0.0, 3.0.0)");

        await AssertRefused(
            folder,
            "plugin.sdk-incompatible",
            $"Plugin 'Medley.TestPlugins.Alpha' in {folder} requires Medley.Sdk [2.0.0, 3.0.0) (field 'sdk') but this host provides Medley.Sdk 0.1.0.");
    }

    [Fact]
    public async Task File_digest_mismatch()
    {
        var folder = _sandbox.Add("Alpha");
        var deps = Path.Combine(folder, "Medley.TestPlugins.Alpha.deps.json");
        File.AppendAllText(deps, " ");
        var actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(deps)));
        var expected = PluginSandbox.ReadManifest(folder)["files"]!["Medley.TestPlugins.Alpha.deps.json"]!.GetValue<string>();

        await AssertRefused(
            folder,
            "plugin.file-digest-mismatch",
            $"Plugin 'Medley.TestPlugins.Alpha' in {folder}: file 'Medley.TestPlugins.Alpha.deps.json' has SHA-256 {actual} but 'files' expects {expected}. The plugin's files were changed after it was built or installed; reinstall it.");
    }

    [Fact]
    public async Task The_same_strategy_name_in_two_plugins()
    {
        var first = _sandbox.Add("Alpha");
        var second = _sandbox.Add("Alpha", "Copy");
        PluginSandbox.EditManifest(second, m => m["id"] = "Medley.TestPlugins.AlphaCopy");

        var error = await AssertRefused(second, "plugin.strategy-duplicate", expectedMessage: null, id: "Medley.TestPlugins.AlphaCopy");
        Assert.Equal(
            $"Plugin 'Medley.TestPlugins.AlphaCopy' in {second} was refused: strategy 'alpha_blend' is provided by both 'Medley.TestPlugins.AlphaCopy' ({second}) and 'Medley.TestPlugins.Alpha' ({first}); pin one with --pin alpha_blend=PLUGIN-ID; strategy 'alpha_mean' is provided by both 'Medley.TestPlugins.AlphaCopy' ({second}) and 'Medley.TestPlugins.Alpha' ({first}); pin one with --pin alpha_mean=PLUGIN-ID.",
            error);
    }

    [Fact]
    public void A_pin_resolves_a_duplicate_strategy_name()
    {
        _sandbox.Add("Alpha");
        var second = _sandbox.Add("Alpha", "Copy");
        PluginSandbox.EditManifest(second, m => m["id"] = "Medley.TestPlugins.AlphaCopy");
        using var host = _sandbox.CreateHost(o =>
        {
            o.StrategyPins["alpha_blend"] = "Medley.TestPlugins.Alpha";
            o.StrategyPins["alpha_mean"] = "Medley.TestPlugins.Alpha";
        });

        Assert.Equal("Medley.TestPlugins.Alpha", host.Plugins.GetStrategy("alpha_blend").PluginId);
        Assert.Equal(PluginStatus.Failed, host.Plugins.GetPlugin("Medley.TestPlugins.AlphaCopy").Status);
    }

    [Fact]
    public async Task A_plugin_whose_constructor_throws_exits_with_3_from_the_cli()
    {
        var folder = _sandbox.Add("Faulty");
        await AssertRefused(
            folder,
            "plugin.strategy-constructor-failed",
            $"Plugin 'Medley.TestPlugins.Faulty' in {folder}: constructing strategy 'faulty_merge' (class Medley.TestPlugins.Faulty.FaultyStrategy) threw InvalidOperationException: the Faulty test plugin refuses to start");
    }

    /// <summary>Checks the error in the catalog and through the CLI (exit code 3, message on standard error), and that a healthy plugin beside it still loads.</summary>
    private async Task<string> AssertRefused(string folder, string code, string? expectedMessage, string? id = null)
    {
        var healthy = _sandbox.Add("Beta");
        string message;
        using (var host = _sandbox.CreateHost())
        {
            var record = host.Plugins.Plugins.Single(p => p.Folder == folder);
            Assert.Equal(PluginStatus.Failed, record.Status);
            Assert.Equal(code, record.Error!.Code);
            message = record.Error.Message;
            if (expectedMessage is not null)
            {
                Assert.Equal(expectedMessage, message);
            }

            Assert.Equal(PluginStatus.Loaded, host.Plugins.Plugins.Single(p => p.Folder == healthy).Status);
        }

        var run = await CliRun.InvokeAsync("plugins", "inspect", id ?? Path.GetFileName(folder), "--plugins", _sandbox.Root, "--no-default-plugins");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"error {code}: {message}", run.Stderr);
        return message;
    }
}
