using Medley.Host.Runtime.Devices;

namespace Medley.Providers.Tests.Support;

/// <summary>
/// Every test that touches ONNX Runtime in this process runs in this collection, after the fixture has chosen the
/// native library once: the CUDA plugin's GPU build where CUDA is usable, else the host's CPU build. A process
/// loads one ONNX Runtime library, so without this the first test to touch it would decide for all the others.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OnnxRuntimeProcess : ICollectionFixture<OnnxRuntimeProcess>
{
    public const string Name = "ONNX Runtime in this process";

    public OnnxRuntimeProcess()
    {
        var selection = ProviderPlugins.CreateSelector().Select("auto");
        ExpectedLibrary = selection.NativeLibrary!;
    }

    /// <summary>The library every session in this process must use.</summary>
    public string ExpectedLibrary { get; }
}
