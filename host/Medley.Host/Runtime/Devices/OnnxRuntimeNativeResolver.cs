using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Medley.Sdk;
using Microsoft.ML.OnnxRuntime;

namespace Medley.Host.Runtime.Devices;

/// <summary>
/// Decides which native ONNX Runtime library the process loads. There is one per process and it never unloads,
/// while GPU providers carry their own build of it; so the host registers one import resolver for ONNX Runtime's
/// managed assembly (the runtime allows only one per assembly) that consults a choice made before ONNX Runtime is
/// first touched, and refuses a later choice that would need a different library.
/// </summary>
public sealed class OnnxRuntimeNativeResolver
{
    private readonly Lock _gate = new();
    private readonly Func<string, nint> _load;
    private readonly Func<string?> _findLoadedElsewhere;
    private readonly Action<DllImportResolver>? _register;
    private string? _chosenLibrary;
    private string? _chosenBy;
    private string? _loadedLibrary;
    private nint _handle;
    private int _installed;
    private bool _registered;

    internal OnnxRuntimeNativeResolver(Func<string, nint> load, Func<string?> findLoadedElsewhere, string? defaultLibrary, Action<DllImportResolver>? register = null)
    {
        _load = load;
        _register = register;
        _findLoadedElsewhere = findLoadedElsewhere;
        DefaultLibrary = defaultLibrary;
    }

    // Declared before Shared: static initialisers run in textual order and Shared's needs this.
    /// <summary>The file name of ONNX Runtime's native library on this operating system.</summary>
    public static string LibraryFileName { get; } =
        OperatingSystem.IsWindows() ? "onnxruntime.dll" : OperatingSystem.IsMacOS() ? "libonnxruntime.dylib" : "libonnxruntime.so";

    /// <summary>The process-wide resolver.</summary>
    public static OnnxRuntimeNativeResolver Shared { get; } =
        new(NativeLibrary.Load, FindLoadedInProcess, FindHostLibrary(), resolver => NativeLibrary.SetDllImportResolver(typeof(InferenceSession).Assembly, resolver));

    /// <summary>The host's own (CPU) build, used when no provider asked for another; <see langword="null"/> when not found.</summary>
    public string? DefaultLibrary { get; }

    /// <summary>The library a provider asked for that is not loaded yet, if any.</summary>
    public string? ChosenLibrary
    {
        get
        {
            lock (_gate)
            {
                return _chosenLibrary;
            }
        }
    }

    /// <summary>The library ONNX Runtime is using, or <see langword="null"/> while ONNX Runtime has not been touched.</summary>
    public string? LoadedLibrary
    {
        get
        {
            lock (_gate)
            {
                return _loadedLibrary ?? _findLoadedElsewhere();
            }
        }
    }

    /// <summary>The library ONNX Runtime uses or will use once first touched.</summary>
    public string? EffectiveLibrary => LoadedLibrary ?? ChosenLibrary ?? DefaultLibrary;

    /// <summary>
    /// Registers the resolver with ONNX Runtime's managed assembly. Idempotent; call it at start-up, before any
    /// ONNX Runtime type is used, so that the library loaded is always the one recorded here.
    /// </summary>
    public void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0 && _register is not null)
        {
            try
            {
                _register(Resolve);
                _registered = true;
            }
            catch (InvalidOperationException)
            {
                // ONNX Runtime registers a resolver of its own when it is first used: it was used before
                // Medley could choose. Its default library is fine; a different one is refused in Use.
                _registered = false;
            }
        }
    }

    /// <summary>Finds the ONNX Runtime native library a provider plugin carries for this platform.</summary>
    /// <param name="pluginFolder">The plugin folder.</param>
    /// <returns>Its full path, or <see langword="null"/> when the plugin relies on the host's library.</returns>
    public static string? FindBundledLibrary(string pluginFolder)
    {
        ArgumentNullException.ThrowIfNull(pluginFolder);
        foreach (var rid in RuntimeIdentifiers())
        {
            var candidate = Path.Combine(pluginFolder, "runtimes", rid, "native", LibraryFileName);
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        return null;
    }

    /// <summary>
    /// Makes ONNX Runtime load <paramref name="libraryPath"/> when it is first touched.
    /// </summary>
    /// <param name="libraryPath">Full path of the native library.</param>
    /// <param name="requester">Who asks, for the message (e.g. <c>--device cuda:0</c>).</param>
    /// <exception cref="MedleyException">When ONNX Runtime already runs on a different library (code <c>device.onnxruntime-already-loaded</c>).</exception>
    public void Use(string libraryPath, string requester)
    {
        ArgumentNullException.ThrowIfNull(libraryPath);
        var wanted = Path.GetFullPath(libraryPath);
        Install();
        lock (_gate)
        {
            var loaded = _loadedLibrary ?? _findLoadedElsewhere();
            if (loaded is not null && !SameFile(loaded, wanted))
            {
                throw new MedleyException(
                    DeviceErrorCodes.OnnxRuntimeAlreadyLoaded,
                    $"ONNX Runtime's native library is already loaded from {loaded}; {requester} needs {wanted}. A process runs one ONNX Runtime library and cannot swap it: choose the device before any model is loaded.",
                    MedleyErrorKind.InvalidInput);
            }

            if (_register is not null && !_registered && (DefaultLibrary is null || !SameFile(DefaultLibrary, wanted)))
            {
                throw new MedleyException(
                    DeviceErrorCodes.OnnxRuntimeAlreadyLoaded,
                    $"ONNX Runtime was initialised before Medley could choose its native library; {requester} needs {wanted}. Choose the device before any model is loaded.",
                    MedleyErrorKind.InvalidInput);
            }

            _chosenLibrary = wanted;
            _chosenBy = requester;
        }
    }

    /// <summary>Who chose the current library, for diagnostics.</summary>
    public string? ChosenBy
    {
        get
        {
            lock (_gate)
            {
                return _chosenBy;
            }
        }
    }

    /// <summary>The import resolver: every ONNX Runtime P/Invoke binds to the one library loaded here.</summary>
    internal nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!IsOnnxRuntime(libraryName))
        {
            return 0;
        }

        lock (_gate)
        {
            if (_handle != 0)
            {
                return _handle;
            }

            var path = _chosenLibrary ?? DefaultLibrary;
            if (path is null)
            {
                // Let the runtime's own probing find it; FindLoadedInProcess then reports where it came from.
                return 0;
            }

            _handle = _load(path);
            _loadedLibrary = path;
            return _handle;
        }
    }

    private static bool IsOnnxRuntime(string libraryName)
    {
        var name = Path.GetFileName(libraryName);
        return name is "onnxruntime" or "libonnxruntime" || string.Equals(name, LibraryFileName, StringComparison.OrdinalIgnoreCase);
    }

    private static bool SameFile(string a, string b) => string.Equals(
        Path.GetFullPath(a),
        Path.GetFullPath(b),
        OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private static IEnumerable<string> RuntimeIdentifiers()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var portable = $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
        return RuntimeInformation.RuntimeIdentifier == portable ? [portable] : [RuntimeInformation.RuntimeIdentifier, portable];
    }

    // Where the runtime itself would look: the native folders the host's deps.json names, then the app folder.
    private static string? FindHostLibrary()
    {
        var folders = (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(RuntimeIdentifiers().Select(rid => Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native")))
            .Append(AppContext.BaseDirectory);
        return folders
            .Select(folder => Path.Combine(folder, LibraryFileName))
            .Where(File.Exists)
            .Select(Path.GetFullPath)
            .FirstOrDefault();
    }

    // Catches a library loaded before the resolver was installed (or by native code), which the resolver never saw.
    private static string? FindLoadedInProcess()
    {
        using var process = Process.GetCurrentProcess();
        foreach (ProcessModule module in process.Modules)
        {
            using (module)
            {
                if (string.Equals(Path.GetFileName(module.FileName), LibraryFileName, StringComparison.OrdinalIgnoreCase))
                {
                    return module.FileName;
                }
            }
        }

        return null;
    }
}
