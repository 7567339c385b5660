using Medley.Providers.DirectML;
using Medley.Providers.Tests.Support;

namespace Medley.Providers.Tests;

public class DirectMLExecutionProviderTests
{
    [Fact]
    public void Declares_device_type_dml_with_preference_below_cuda()
    {
        var provider = new DirectMLExecutionProvider();

        Assert.Equal("dml", provider.DeviceType);
        Assert.Equal(90, provider.Preference);
    }

    [Fact]
    public void Probe_is_unavailable_off_windows_or_without_the_directml_natives()
    {
        var folder = Directory.CreateTempSubdirectory("medley-dml-").FullName;
        try
        {
            var probe = new DirectMLExecutionProvider(folder).Probe();

            Assert.False(probe.IsAvailable);
            Assert.Empty(probe.Devices);
            if (OperatingSystem.IsWindows())
            {
                Assert.StartsWith("DirectML.dll and onnxruntime.dll missing from " + folder, probe.Reason, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal("DirectML needs Windows", probe.Reason);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Configure_turns_off_memory_pattern_and_parallelism_before_appending_directml()
    {
        var session = new RecordingConfigurator();

        new DirectMLExecutionProvider().Configure(session, 2);

        Assert.Equal(["SetMemoryPattern(False)", "UseSequentialExecution()", "AppendDirectML(2)"], session.Calls);
    }
}
