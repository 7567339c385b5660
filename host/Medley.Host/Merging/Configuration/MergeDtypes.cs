using Medley.Host.Tensors;

namespace Medley.Host.Merging.Configuration;

/// <summary>The dtype names merge configs and <c>--dtype</c> accept (torch's names, as mergekit takes them).</summary>
internal static class MergeDtypes
{
    private static readonly (string Name, SafetensorsDtype Dtype)[] Table =
    [
        ("float32", SafetensorsDtype.F32),
        ("float16", SafetensorsDtype.F16),
        ("bfloat16", SafetensorsDtype.BF16),
        ("fp32", SafetensorsDtype.F32),
        ("fp16", SafetensorsDtype.F16),
        ("bf16", SafetensorsDtype.BF16),
    ];

    /// <summary>Accepted names.</summary>
    public static IReadOnlyList<string> Names { get; } = Table.Select(row => row.Name).ToList();

    /// <summary>Parses a dtype name.</summary>
    /// <param name="name">The name, e.g. <c>bfloat16</c> (also <c>torch.bfloat16</c>).</param>
    /// <param name="dtype">The safetensors dtype.</param>
    /// <returns><see langword="true"/> when known.</returns>
    public static bool TryParse(string name, out SafetensorsDtype dtype)
    {
        var key = name.StartsWith("torch.", StringComparison.Ordinal) ? name["torch.".Length..] : name;
        foreach (var row in Table)
        {
            if (row.Name == key)
            {
                dtype = row.Dtype;
                return true;
            }
        }

        dtype = default;
        return false;
    }

    /// <summary>The torch name of a dtype, for <c>config.json</c>'s <c>torch_dtype</c>.</summary>
    /// <param name="dtype">The dtype.</param>
    /// <returns>The torch name.</returns>
    public static string TorchName(SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.F16 => "float16",
        SafetensorsDtype.BF16 => "bfloat16",
        _ => "float32",
    };
}
