using System.Text.Json;
using Medley.Host.Runtime.Devices;
using Medley.Providers.Tests.Support;

namespace Medley.Providers.Tests;

public class CudaPluginOutputTests
{
    [Theory]
    [InlineData("libonnxruntime.so")]
    [InlineData("libonnxruntime_providers_cuda.so")]
    [InlineData("libonnxruntime_providers_shared.so")]
    public void Plugin_folder_carries_the_gpu_build_of_onnx_runtime(string library)
    {
        var path = Path.Combine(ProviderPlugins.CudaNativeFolder, library);

        Assert.True(File.Exists(path), $"{path} is missing");
        Assert.True(new FileInfo(path).Length > 0);
    }

    [Fact]
    public void Plugin_folder_has_no_managed_onnx_runtime_because_the_host_shares_its_own()
    {
        var managed = Directory.EnumerateFiles(ProviderPlugins.CudaFolder, "Microsoft.ML.OnnxRuntime.dll", SearchOption.AllDirectories).ToList();

        Assert.Empty(managed);
        Assert.True(File.Exists(Path.Combine(ProviderPlugins.CudaFolder, "Medley.Providers.Cuda.dll")));
    }

    [Fact]
    public void Gpu_build_differs_from_the_hosts_cpu_build()
    {
        var gpu = new FileInfo(Path.Combine(ProviderPlugins.CudaNativeFolder, "libonnxruntime.so"));
        var cpu = new FileInfo(OnnxRuntimeNativeResolver.Shared.DefaultLibrary!);

        Assert.NotEqual(Path.GetFullPath(cpu.FullName), gpu.FullName);
        Assert.NotEqual(cpu.Length, gpu.Length);
    }

    [Fact]
    public void Resolver_finds_the_native_library_the_plugin_carries()
    {
        Assert.Equal(
            Path.Combine(ProviderPlugins.CudaNativeFolder, "libonnxruntime.so"),
            OnnxRuntimeNativeResolver.FindBundledLibrary(ProviderPlugins.CudaFolder));
        Assert.Null(OnnxRuntimeNativeResolver.FindBundledLibrary(Path.Combine(ProviderPlugins.Folder, "Medley.Providers.DirectML")));
    }

    [Fact]
    public void Manifest_lists_a_digest_for_every_native_library()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(ProviderPlugins.CudaFolder, "medley-plugin.json")));
        var files = manifest.RootElement.GetProperty("files").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Contains("runtimes/linux-x64/native/libonnxruntime.so", files);
        Assert.Contains("runtimes/linux-x64/native/libonnxruntime_providers_cuda.so", files);
        Assert.Contains("runtimes/linux-x64/native/libonnxruntime_providers_shared.so", files);
        Assert.DoesNotContain("runtimes/linux-x64/native/libonnxruntime_providers_tensorrt.so", files);
    }
}
