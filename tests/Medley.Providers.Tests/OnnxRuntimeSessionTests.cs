using Medley.Host.Runtime.Devices;
using Medley.Providers.Tests.Support;
using Medley.Sdk;
using Microsoft.ML.OnnxRuntime;

namespace Medley.Providers.Tests;

[Collection(OnnxRuntimeProcess.Name)]
public class OnnxRuntimeSessionTests(OnnxRuntimeProcess process)
{
    [Fact]
    public void Cpu_selection_configures_a_session_that_runs_on_the_library_chosen_for_the_process()
    {
        var selection = ProviderPlugins.CreateSelector().Select("cpu");
        using var options = new SessionOptions();
        selection.ConfigureSession(options);

        var sum = AddModelRunner.Run(options, [1.5f, -2f, 3f], [0.25f, 2f, -7f]);

        Assert.Equal([1.75f, 0f, -4f], sum);
        Assert.Equal(process.ExpectedLibrary, OnnxRuntimeNativeResolver.Shared.LoadedLibrary);
    }

    [Fact]
    public void Asking_for_a_different_onnx_runtime_library_once_one_is_loaded_fails_clearly()
    {
        using (var options = new SessionOptions())
        {
            AddModelRunner.Run(options, [1f, 2f, 3f], [1f, 1f, 1f]);
        }

        var other = Path.Combine(Path.GetTempPath(), "elsewhere", "libonnxruntime.so");
        var error = Assert.Throws<MedleyException>(() => OnnxRuntimeNativeResolver.Shared.Use(other, "--device test"));

        Assert.Equal("device.onnxruntime-already-loaded", error.Code);
        Assert.StartsWith($"ONNX Runtime's native library is already loaded from {process.ExpectedLibrary}; --device test needs {other}.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configurator_maps_memory_pattern_and_sequential_execution_onto_session_options()
    {
        using var options = new SessionOptions { ExecutionMode = ExecutionMode.ORT_PARALLEL, EnableMemoryPattern = true };
        var configurator = new OnnxSessionConfigurator(options);

        configurator.SetMemoryPattern(false);
        configurator.UseSequentialExecution();

        Assert.False(options.EnableMemoryPattern);
        Assert.Equal(ExecutionMode.ORT_SEQUENTIAL, options.ExecutionMode);
        Assert.Same(options, configurator.OnnxRuntimeSessionOptions);
    }

    [Fact]
    public void A_provider_the_loaded_library_lacks_fails_with_onnx_runtimes_reason()
    {
        using var options = new SessionOptions();
        var configurator = new OnnxSessionConfigurator(options);

        var error = Assert.Throws<MedleyException>(() => configurator.AppendDirectML(0));

        Assert.Equal("device.provider-failed", error.Code);
        Assert.StartsWith($"ONNX Runtime ({process.ExpectedLibrary}) could not add the DirectML execution provider for device 0: ", error.Message, StringComparison.Ordinal);
    }
}
