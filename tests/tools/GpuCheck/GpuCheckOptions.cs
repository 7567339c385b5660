using System.Globalization;

namespace Medley.Tools.GpuCheck;

/// <summary>The check app's command line.</summary>
/// <param name="PluginsFolder">The folder holding the CUDA provider plugin (or the plugin folder itself).</param>
/// <param name="WorkFolder">Where the benchmark checkpoint and its ONNX export are written.</param>
/// <param name="MaxTokens">Tokens to generate in each benchmark run.</param>
internal sealed record GpuCheckOptions(string PluginsFolder, string WorkFolder, int MaxTokens)
{
    public const string Usage = "usage: GpuCheck --plugins DIR [--work DIR] [--max-tokens N]   (or: GpuCheck medley ARGS… to run the CLI)";

    public static GpuCheckOptions? Parse(IReadOnlyList<string> args)
    {
        string? plugins = null;
        var work = Path.Combine(Path.GetTempPath(), "medley-gpucheck");
        var maxTokens = 128;
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            switch (args[i])
            {
                case "--plugins":
                    plugins = Path.GetFullPath(args[i + 1]);
                    break;
                case "--work":
                    work = Path.GetFullPath(args[i + 1]);
                    break;
                case "--max-tokens":
                    maxTokens = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                default:
                    return null;
            }
        }

        return plugins is null || args.Count % 2 != 0 ? null : new GpuCheckOptions(plugins, work, maxTokens);
    }
}
