using System.Runtime.InteropServices;
using Medley.Host.Runtime.Devices;
using Medley.Providers.Tests.Support;
using Medley.Sdk;

namespace Medley.Providers.Tests;

public class OnnxRuntimeNativeResolverTests
{
    [Fact]
    public void Onnx_runtime_imports_bind_to_the_chosen_library_once_and_stay_there()
    {
        var loads = new List<string>();
        var resolver = Resolvers.Fake(loads: loads);
        resolver.Use("/plugins/gpu/libonnxruntime.so", "--device cuda:0");

        var first = resolver.Resolve("onnxruntime", typeof(object).Assembly, null);
        var second = resolver.Resolve("onnxruntime", typeof(object).Assembly, DllImportSearchPath.AssemblyDirectory);

        Assert.Equal(42, first);
        Assert.Equal(42, second);
        Assert.Equal(["/plugins/gpu/libonnxruntime.so"], loads);
        Assert.Equal("/plugins/gpu/libonnxruntime.so", resolver.LoadedLibrary);
    }

    [Fact]
    public void When_onnx_runtime_claimed_its_own_resolver_first_only_the_default_library_is_accepted()
    {
        // What happens when ONNX Runtime was used before Medley installed its resolver: registration is refused.
        var resolver = new OnnxRuntimeNativeResolver(
            _ => 42,
            () => null,
            "/host/runtimes/linux-x64/native/libonnxruntime.so",
            _ => throw new InvalidOperationException("A resolver is already set for the assembly."));

        resolver.Install();
        resolver.Use("/host/runtimes/linux-x64/native/libonnxruntime.so", "--device cpu");
        var error = Assert.Throws<MedleyException>(() => resolver.Use("/plugins/gpu/libonnxruntime.so", "--device cuda:0"));

        Assert.Equal("device.onnxruntime-already-loaded", error.Code);
        Assert.Equal(
            "ONNX Runtime was initialised before Medley could choose its native library; --device cuda:0 needs /plugins/gpu/libonnxruntime.so. Choose the device before any model is loaded.",
            error.Message);
    }

    [Fact]
    public void Without_a_choice_the_hosts_library_is_loaded()
    {
        var loads = new List<string>();
        var resolver = Resolvers.Fake(loads: loads);

        resolver.Resolve("onnxruntime", typeof(object).Assembly, null);

        Assert.Equal(["/host/runtimes/linux-x64/native/libonnxruntime.so"], loads);
    }

    [Fact]
    public void Other_libraries_are_left_to_the_runtime()
    {
        var loads = new List<string>();
        var resolver = Resolvers.Fake(loads: loads);

        Assert.Equal(0, resolver.Resolve("ortextensions", typeof(object).Assembly, null));
        Assert.Equal(0, resolver.Resolve("libc", typeof(object).Assembly, null));
        Assert.Empty(loads);
        Assert.Null(resolver.LoadedLibrary);
    }

    [Fact]
    public void Choosing_another_library_after_onnx_runtime_loaded_is_a_clear_error()
    {
        var resolver = Resolvers.Fake();
        resolver.Resolve("onnxruntime", typeof(object).Assembly, null);

        var error = Assert.Throws<MedleyException>(() => resolver.Use("/plugins/gpu/libonnxruntime.so", "--device cuda:0"));

        Assert.Equal("device.onnxruntime-already-loaded", error.Code);
        Assert.Equal(
            "ONNX Runtime's native library is already loaded from /host/runtimes/linux-x64/native/libonnxruntime.so; --device cuda:0 needs /plugins/gpu/libonnxruntime.so. A process runs one ONNX Runtime library and cannot swap it: choose the device before any model is loaded.",
            error.Message);
    }

    [Fact]
    public void A_library_loaded_before_the_resolver_saw_it_also_blocks_a_different_choice()
    {
        var resolver = Resolvers.Fake(loadedElsewhere: "/somewhere/libonnxruntime.so");

        var error = Assert.Throws<MedleyException>(() => resolver.Use("/plugins/gpu/libonnxruntime.so", "--device cuda:0"));

        Assert.StartsWith("ONNX Runtime's native library is already loaded from /somewhere/libonnxruntime.so;", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choosing_the_library_already_loaded_is_fine_and_a_choice_may_change_until_the_first_load()
    {
        var loads = new List<string>();
        var resolver = Resolvers.Fake(loads: loads);
        resolver.Use("/plugins/a/libonnxruntime.so", "first");
        resolver.Use("/plugins/b/libonnxruntime.so", "second");
        resolver.Resolve("onnxruntime", typeof(object).Assembly, null);

        resolver.Use("/plugins/b/libonnxruntime.so", "third");

        Assert.Equal(["/plugins/b/libonnxruntime.so"], loads);
        Assert.Equal("third", resolver.ChosenBy);
    }
}
