using System.Runtime.InteropServices;
using System.Text;

namespace Medley.Providers.Cuda;

/// <summary>
/// The few CUDA driver API calls the probe needs, bound by hand from <c>libcuda.so.1</c> so that probing needs
/// neither ONNX Runtime nor the CUDA toolkit: the driver alone answers whether a GPU is there.
/// </summary>
internal sealed unsafe class CudaDriver : IDisposable
{
    public const string LibraryName = "libcuda.so.1";

    private const int Success = 0;
    private const int NoDevice = 100;

    private readonly nint _library;
    private readonly delegate* unmanaged<uint, int> _init;
    private readonly delegate* unmanaged<int*, int> _driverGetVersion;
    private readonly delegate* unmanaged<int*, int> _deviceGetCount;
    private readonly delegate* unmanaged<int*, int, int> _deviceGet;
    private readonly delegate* unmanaged<byte*, int, int, int> _deviceGetName;
    private readonly delegate* unmanaged<nuint*, int, int> _deviceTotalMem;
    private readonly delegate* unmanaged<int, byte**, int> _getErrorName;

    private CudaDriver(nint library)
    {
        _library = library;
        _init = (delegate* unmanaged<uint, int>)NativeLibrary.GetExport(library, "cuInit");
        _driverGetVersion = (delegate* unmanaged<int*, int>)NativeLibrary.GetExport(library, "cuDriverGetVersion");
        _deviceGetCount = (delegate* unmanaged<int*, int>)NativeLibrary.GetExport(library, "cuDeviceGetCount");
        _deviceGet = (delegate* unmanaged<int*, int, int>)NativeLibrary.GetExport(library, "cuDeviceGet");
        _deviceGetName = (delegate* unmanaged<byte*, int, int, int>)NativeLibrary.GetExport(library, "cuDeviceGetName");
        _deviceTotalMem = (delegate* unmanaged<nuint*, int, int>)NativeLibrary.GetExport(library, "cuDeviceTotalMem_v2");
        _getErrorName = (delegate* unmanaged<int, byte**, int>)NativeLibrary.GetExport(library, "cuGetErrorName");
    }

    /// <summary>Loads the driver library, or says why it cannot.</summary>
    public static bool TryOpen([NotNullWhen(true)] out CudaDriver? driver, [NotNullWhen(false)] out string? problem)
    {
        driver = null;
        if (!NativeLibrary.TryLoad(LibraryName, out var library))
        {
            problem = $"no NVIDIA driver ({LibraryName} not found)";
            return false;
        }

        try
        {
            driver = new CudaDriver(library);
            problem = null;
            return true;
        }
        catch (EntryPointNotFoundException ex)
        {
            NativeLibrary.Free(library);
            problem = $"the NVIDIA driver's {LibraryName} lacks a CUDA driver API function ({ex.Message}); the driver is too old";
            return false;
        }
    }

    /// <summary>Initialises the driver API and counts devices; a driver with no GPU reports zero, not an error.</summary>
    public bool TryCountDevices(out int count, [NotNullWhen(false)] out string? problem)
    {
        count = 0;
        var status = _init(0);
        if (status == NoDevice)
        {
            problem = null;
            return true;
        }

        if (status != Success)
        {
            problem = $"the NVIDIA driver failed to initialise (cuInit returned {ErrorName(status)})";
            return false;
        }

        int found;
        status = _deviceGetCount(&found);
        if (status != Success)
        {
            problem = $"the NVIDIA driver could not count devices (cuDeviceGetCount returned {ErrorName(status)})";
            return false;
        }

        count = found;
        problem = null;
        return true;
    }

    /// <summary>The newest CUDA version the driver supports, as major.minor (CUDA encodes it as 1000 × major + 10 × minor).</summary>
    public Version DriverCudaVersion()
    {
        int version;
        return _driverGetVersion(&version) == Success ? new Version(version / 1000, version % 1000 / 10) : new Version(0, 0);
    }

    /// <summary>A human-readable description of device <paramref name="ordinal"/>: name and memory.</summary>
    public string Describe(int ordinal)
    {
        int device;
        if (_deviceGet(&device, ordinal) != Success)
        {
            return "unknown device";
        }

        const int capacity = 256;
        var buffer = stackalloc byte[capacity];
        var name = _deviceGetName(buffer, capacity, device) == Success
            ? Encoding.UTF8.GetString(buffer, new ReadOnlySpan<byte>(buffer, capacity).IndexOf((byte)0) is var end and >= 0 ? end : capacity)
            : "unknown device";
        nuint bytes;
        return _deviceTotalMem(&bytes, device) == Success
            ? $"{name}, {bytes / (1024.0 * 1024 * 1024):0.#} GiB"
            : name;
    }

    public void Dispose() => NativeLibrary.Free(_library);

    private string ErrorName(int status)
    {
        byte* text;
        return _getErrorName(status, &text) == Success && text is not null
            ? $"{Marshal.PtrToStringUTF8((nint)text)} ({status})"
            : $"error {status}";
    }
}
