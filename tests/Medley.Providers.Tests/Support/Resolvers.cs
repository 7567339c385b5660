using Medley.Host.Runtime.Devices;

namespace Medley.Providers.Tests.Support;

/// <summary>Resolvers that never load anything, for rules that must not touch this process's ONNX Runtime.</summary>
public static class Resolvers
{
    public static OnnxRuntimeNativeResolver Fake(string? loadedElsewhere = null, List<string>? loads = null) =>
        new(path =>
            {
                loads?.Add(path);
                return 42;
            },
            () => loadedElsewhere,
            "/host/runtimes/linux-x64/native/libonnxruntime.so");
}
