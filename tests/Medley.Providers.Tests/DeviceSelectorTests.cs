using Medley.Host.Runtime.Devices;
using Medley.Providers.Tests.Support;
using Medley.Sdk;
using Medley.Sdk.Providers;

namespace Medley.Providers.Tests;

public class DeviceSelectorTests
{
    [Fact]
    public void Catalog_selector_knows_builtin_cpu_the_cuda_plugin_and_the_directml_plugin_that_failed_here()
    {
        var candidates = ProviderPlugins.CreateSelector().Candidates;

        Assert.Equal("cpu", candidates[0].DeviceType);
        Assert.Null(candidates[0].PluginId);
        Assert.Contains(candidates, c => c is { DeviceType: "cuda", PluginId: "Medley.Providers.Cuda", Provider: not null });
        var dml = Assert.Single(candidates, c => c.DeviceType == "dml");
        Assert.Equal("Medley.Providers.DirectML", dml.PluginId);
        Assert.Equal(OperatingSystem.IsWindows(), dml.Provider is not null);
    }

    [Fact]
    public void Cpu_is_always_usable_and_uses_the_hosts_library()
    {
        var selection = ProviderPlugins.CreateSelector().Preview(DeviceRequest.Parse("cpu"));

        Assert.Equal("cpu:0", selection.Device.ToString());
        Assert.True(selection.Availability.IsAvailable);
        Assert.Null(selection.Candidate.NativeLibrary);
        Assert.Equal($"--device cpu:0 (built-in): cpu:0 {Environment.ProcessorCount} logical processors", selection.Note);
    }

    [Fact]
    public void Cuda_here_is_an_error_naming_the_probe_reason_or_a_selection_where_a_gpu_is_usable()
    {
        var selector = ProviderPlugins.CreateSelector();
        var probe = ProviderPlugins.CudaProbe;
        if (probe.IsAvailable)
        {
            var selection = selector.Preview(DeviceRequest.Parse("cuda"));
            Assert.Equal("cuda", selection.Candidate.DeviceType);
            return;
        }

        var error = Assert.Throws<MedleyException>(() => selector.Select("cuda"));

        Assert.Equal("device.unavailable", error.Code);
        Assert.Equal(
            $"--device cuda:0: the cuda execution provider (plugin Medley.Providers.Cuda) cannot run here: {probe.Reason}.",
            error.Message);
    }

    [Fact]
    public void Auto_picks_cuda_where_usable_and_otherwise_cpu_and_says_which()
    {
        var selection = ProviderPlugins.CreateSelector().Preview(DeviceRequest.Auto);

        if (ProviderPlugins.CudaProbe.IsAvailable)
        {
            Assert.Equal("cuda:0", selection.Device.ToString());
            Assert.StartsWith("--device auto chose cuda:0 (plugin Medley.Providers.Cuda, preference 100): cuda:0 ", selection.Note, StringComparison.Ordinal);
            return;
        }

        Assert.Equal("cpu:0", selection.Device.ToString());
        Assert.StartsWith($"--device auto chose cpu:0 (built-in, preference 0): cpu:0 {Environment.ProcessorCount} logical processors; not usable here: ", selection.Note, StringComparison.Ordinal);
        Assert.Contains($"cuda: {ProviderPlugins.CudaProbe.Reason}", selection.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Directml_on_linux_is_an_error_naming_the_platform_the_plugin_needs()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var error = Assert.Throws<MedleyException>(() => ProviderPlugins.CreateSelector().Select("dml"));

        Assert.Equal("device.unavailable", error.Code);
        Assert.StartsWith("--device dml:0: the dml execution provider (plugin Medley.Providers.DirectML) cannot run here: its plugin failed to load: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("supports platforms [win-x64, win-arm64] (field 'platforms') but this host runs on linux-x64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_device_type_lists_the_known_ones()
    {
        var error = Assert.Throws<MedleyException>(() => ProviderPlugins.CreateSelector().Select("rocm:1"));

        Assert.Equal("device.unknown", error.Code);
        Assert.StartsWith("--device rocm:1: no execution provider has device type 'rocm'. Known: cpu (built-in), cuda (plugin Medley.Providers.Cuda), dml (plugin Medley.Providers.DirectML).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_takes_the_highest_preference_among_usable_providers_only()
    {
        var resolver = Resolvers.Fake();
        var best = new FakeProvider("best", 50, new ProviderAvailability(true, null, ["best:0 fast", "best:1 fast"]));
        var unusable = new FakeProvider("top", 100, ProviderAvailability.Unavailable("no hardware"));
        var low = new FakeProvider("low", 10, new ProviderAvailability(true, null, ["low:0 slow"]));
        var selector = new DeviceSelector([Candidate(low), Candidate(unusable), Candidate(best)], resolver);

        var selection = selector.Select(DeviceRequest.Auto);

        Assert.Same(best, selection.Candidate.Provider);
        Assert.Equal("best:0", selection.Device.ToString());
        Assert.Equal("--device auto chose best:0 (plugin Test.Best, preference 50): best:0 fast; not usable here: top: no hardware", selection.Note);
    }

    [Fact]
    public void Explicit_unusable_provider_is_an_error_never_a_fallback()
    {
        var selector = new DeviceSelector(
            [Candidate(new FakeProvider("cpu", 0, new ProviderAvailability(true, null, ["cpu:0"]))), Candidate(new FakeProvider("gpu", 100, ProviderAvailability.Unavailable("driver too old")))],
            Resolvers.Fake());

        var error = Assert.Throws<MedleyException>(() => selector.Select("gpu:0"));

        Assert.Equal("device.unavailable", error.Code);
        Assert.Equal("--device gpu:0: the gpu execution provider (plugin Test.Gpu) cannot run here: driver too old.", error.Message);
    }

    [Fact]
    public void Device_index_beyond_those_found_is_an_error_listing_them()
    {
        var selector = new DeviceSelector([Candidate(new FakeProvider("gpu", 100, new ProviderAvailability(true, null, ["gpu:0 A", "gpu:1 B"])))], Resolvers.Fake());

        Assert.Equal("gpu:1", selector.Select("gpu:1").Device.ToString());
        var error = Assert.Throws<MedleyException>(() => selector.Select("gpu:2"));

        Assert.Equal("device.index-out-of-range", error.Code);
        Assert.Equal("--device gpu:2: the gpu execution provider found 2 device(s), numbered from 0: gpu:0 A; gpu:1 B.", error.Message);
    }

    [Fact]
    public void Nothing_usable_for_auto_is_an_error_with_every_reason()
    {
        var selector = new DeviceSelector(
            [Candidate(new FakeProvider("a", 1, ProviderAvailability.Unavailable("reason A"))), Candidate(new FakeProvider("b", 2, ProviderAvailability.Unavailable("reason B")))],
            Resolvers.Fake());

        var error = Assert.Throws<MedleyException>(() => selector.Select("auto"));

        Assert.Equal("--device auto found no usable execution provider: a: reason A; b: reason B.", error.Message);
    }

    [Fact]
    public void Selecting_a_provider_that_carries_a_native_library_records_it_for_onnx_runtime()
    {
        var resolver = Resolvers.Fake();
        var gpu = new ProviderCandidate("gpu", "Test.Gpu", new FakeProvider("gpu", 100, new ProviderAvailability(true, null, ["gpu:0"])), "/plugins/gpu/libonnxruntime.so", null);
        var selector = new DeviceSelector([gpu], resolver);

        var selection = selector.Select("gpu");

        Assert.Equal("/plugins/gpu/libonnxruntime.so", resolver.ChosenLibrary);
        Assert.Equal("--device gpu:0 (plugin Test.Gpu)", resolver.ChosenBy);
        Assert.Equal("/plugins/gpu/libonnxruntime.so", selection.NativeLibrary);
    }

    [Fact]
    public void Session_hook_applies_the_chosen_provider_with_the_device_index()
    {
        var provider = new FakeProvider("gpu", 100, new ProviderAvailability(true, null, ["gpu:0", "gpu:1"]));
        var selection = new DeviceSelector([Candidate(provider)], Resolvers.Fake()).Preview(DeviceRequest.Parse("gpu:1"));
        var session = new RecordingConfigurator();

        selection.Candidate.Provider!.Configure(session, selection.Device.Index);

        Assert.Equal(["AppendProvider(gpu)"], session.Calls);
        Assert.Equal(1, provider.Probes);
    }

    private static ProviderCandidate Candidate(IExecutionProvider provider) =>
        new(provider.DeviceType, "Test." + char.ToUpperInvariant(provider.DeviceType[0]) + provider.DeviceType[1..], provider, null, null);
}
