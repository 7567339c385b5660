using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace Medley.Host.Runtime;

/// <summary>
/// Where a model's KV cache lives between runs. Without I/O binding ONNX Runtime hands every output back in CPU
/// memory, so a GPU model would copy its whole cache to the host and back on every token; bound to the device
/// the cache stays there and only the logits cross.
/// </summary>
internal static class CacheResidence
{
    /// <summary>The memory the cache is bound to for a device label (<c>cuda:1</c>), or null to let ONNX Runtime return it in CPU memory.</summary>
    public static OrtMemoryInfo? For(string deviceLabel)
    {
        var parts = deviceLabel.Split(':', 2);
        var index = parts.Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        return parts[0].ToLowerInvariant() switch
        {
            "cuda" => new OrtMemoryInfo("Cuda", OrtAllocatorType.DeviceAllocator, index, OrtMemType.Default),
            _ => null,
        };
    }
}
