using System.Runtime.InteropServices;

namespace Medley.Providers.Cuda;

/// <summary>
/// The CUDA libraries that ONNX Runtime's CUDA provider loads but its package does not ship. The names are those
/// of the GPU build of ONNX Runtime 1.31 (built against CUDA 13 and cuDNN 9): libonnxruntime_providers_cuda.so
/// links cudart, cuBLAS, cuBLASLt and cuRAND and opens cuDNN at run time.
/// </summary>
internal static class CudaRuntimeLibraries
{
    /// <summary>The driver API version the runtime libraries need (CUDA 13.0: driver 580 or newer).</summary>
    public static readonly Version RequiredDriverCuda = new(13, 0);

    public static IReadOnlyList<string> Names { get; } =
    [
        "libcudart.so.13",
        "libcublas.so.13",
        "libcublasLt.so.13",
        "libcurand.so.10",
        "libcudnn.so.9",
    ];

    /// <summary>The libraries the dynamic loader cannot find (it searches LD_LIBRARY_PATH and the ldconfig cache).</summary>
    public static IReadOnlyList<string> FindMissing()
    {
        var missing = new List<string>();
        foreach (var name in Names)
        {
            if (NativeLibrary.TryLoad(name, out var handle))
            {
                NativeLibrary.Free(handle);
            }
            else
            {
                missing.Add(name);
            }
        }

        return missing;
    }
}
