using System.Runtime.InteropServices;
using System.Text;
using Medley.Sdk;
using Medley.Sdk.Providers;

namespace Medley.Providers.DirectML;

/// <summary>
/// DirectX 12 GPUs on Windows through ONNX Runtime's DirectML execution provider. DirectML cannot run graph
/// nodes in parallel and manages its own memory, so sessions get sequential execution and no memory pattern.
/// </summary>
[MedleyStrategy("dml")]
public sealed class DirectMLExecutionProvider : IExecutionProvider
{
    // The export ONNX Runtime builds only when the DirectML provider is compiled in.
    private static readonly byte[] DirectMLExport = Encoding.ASCII.GetBytes("OrtSessionOptionsAppendExecutionProvider_DML");

    private readonly string _pluginFolder;

    /// <summary>Creates the provider for the plugin folder its assembly was loaded from.</summary>
    public DirectMLExecutionProvider()
        : this(Path.GetDirectoryName(typeof(DirectMLExecutionProvider).Assembly.Location) ?? AppContext.BaseDirectory)
    {
    }

    /// <summary>Creates the provider for a given plugin folder.</summary>
    /// <param name="pluginFolder">Where <c>runtimes/&lt;rid&gt;/native</c> is looked for.</param>
    public DirectMLExecutionProvider(string pluginFolder) => _pluginFolder = pluginFolder;

    /// <inheritdoc />
    public string DeviceType => "dml";

    /// <inheritdoc />
    public int Preference => 90;

    /// <inheritdoc />
    public ProviderAvailability Probe()
    {
        if (!OperatingSystem.IsWindows())
        {
            return ProviderAvailability.Unavailable("DirectML needs Windows");
        }

        var rid = $"win-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
        var native = Path.Combine(_pluginFolder, "runtimes", rid, "native");
        var missing = new[] { "DirectML.dll", "onnxruntime.dll" }.Where(f => !File.Exists(Path.Combine(native, f))).ToList();
        if (missing.Count > 0)
        {
            return ProviderAvailability.Unavailable(
                $"{string.Join(" and ", missing)} missing from {native} (build the plugin on Windows so that it carries Microsoft.ML.OnnxRuntime.DirectML's natives)");
        }

        // Reading the file rather than loading it keeps the probe free of side effects: the host decides which
        // onnxruntime.dll the process loads, once.
        var onnxRuntime = Path.Combine(native, "onnxruntime.dll");
        if (File.ReadAllBytes(onnxRuntime).AsSpan().IndexOf(DirectMLExport) < 0)
        {
            return ProviderAvailability.Unavailable($"{onnxRuntime} is an ONNX Runtime build without the DirectML execution provider");
        }

        return new ProviderAvailability(true, $"DirectML build of ONNX Runtime in {native}", ["dml:0 default DirectX 12 adapter"]);
    }

    /// <inheritdoc />
    public void Configure(ISessionConfigurator session, int deviceIndex)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.SetMemoryPattern(false);
        session.UseSequentialExecution();
        session.AppendDirectML(deviceIndex);
    }
}
