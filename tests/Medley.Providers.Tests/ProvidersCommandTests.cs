using System.Text.Json;
using Medley.Cli;
using Medley.Providers.Tests.Support;

namespace Medley.Providers.Tests;

public class ProvidersCommandTests
{
    [Fact]
    public async Task Providers_list_json_shows_each_provider_why_it_cannot_run_and_its_library()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await MedleyCli.RunAsync(["providers", "list", "--json", "--no-default-plugins", "--plugins", ProviderPlugins.Folder], stdout, stderr, CancellationToken.None);

        Assert.True(exit == 0, stderr.ToString());
        using var json = JsonDocument.Parse(stdout.ToString());
        var providers = json.RootElement.GetProperty("providers").EnumerateArray().ToDictionary(p => p.GetProperty("deviceType").GetString()!);
        Assert.Equal(["cuda", "cpu", "dml"], providers.Keys);
        Assert.True(providers["cpu"].GetProperty("usable").GetBoolean());
        Assert.Equal(ProviderPlugins.CudaProbe.IsAvailable, providers["cuda"].GetProperty("usable").GetBoolean());
        Assert.Equal(ProviderPlugins.CudaProbe.Reason, providers["cuda"].GetProperty("reason").GetString());
        Assert.EndsWith("Medley.Providers.Cuda/runtimes/linux-x64/native/libonnxruntime.so", providers["cuda"].GetProperty("nativeLibrary").GetString(), StringComparison.Ordinal);
        Assert.Equal(OperatingSystem.IsWindows(), providers["dml"].GetProperty("reason").GetString() is { } r && !r.StartsWith("its plugin failed to load", StringComparison.Ordinal));
        Assert.StartsWith("--device auto chose ", json.RootElement.GetProperty("auto").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Providers_list_table_names_the_auto_choice()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await MedleyCli.RunAsync(["providers", "list", "--no-default-plugins", "--plugins", ProviderPlugins.Folder], stdout, stderr, CancellationToken.None);

        Assert.Equal(0, exit);
        var text = stdout.ToString();
        Assert.Contains("Medley.Providers.Cuda", text, StringComparison.Ordinal);
        Assert.Contains("--device auto chose", text, StringComparison.Ordinal);
    }
}
