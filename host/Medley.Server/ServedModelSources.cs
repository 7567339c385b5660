using Medley.Host.Chat;
using Medley.Host.Runtime;
using Medley.Host.Tokenization;
using Medley.Sdk;
using Microsoft.Extensions.AI;

namespace Medley.Server;

/// <summary>The one place where <c>medley serve</c>'s <c>--model</c> folders and <c>--run</c> files become registry entries.</summary>
public static class ServedModelSources
{
    /// <summary>Registers a local ONNX model folder under its folder name; the model is loaded on first use.</summary>
    /// <param name="registry">Where the model is registered.</param>
    /// <param name="folder">The folder holding model.onnx and its tokenizer files (with a chat template).</param>
    /// <param name="device">The execution device: cpu, cuda[:N], dml[:N] or auto.</param>
    /// <returns>The id the model is served under.</returns>
    public static string AddModelFolder(ServedModelRegistry registry, string folder, string device = "cpu")
    {
        ArgumentNullException.ThrowIfNull(registry);
        var full = Path.GetFullPath(folder);
        if (!File.Exists(Path.Combine(full, "model.onnx")))
        {
            throw new MedleyException(ServerErrorCodes.ModelFolderMissing, $"--model '{folder}' is not an ONNX model folder: expected a file model.onnx in {full} (export one with 'medley export-onnx').");
        }

        var id = Path.GetFileName(Path.TrimEndingDirectorySeparator(full));
        registry.Add(id, "medley-local", _ =>
        {
            var model = OnnxCausalLanguageModel.Load(new OnnxModelOptions { Path = full, TokenizerFactory = HfTokenizerLoader.Load, Device = device, Name = id });
            return ValueTask.FromResult<IChatClient>(new OnnxChatClient(model, id, ownsModel: true));
        });
        return id;
    }

    /// <summary>
    /// Registers a run config under its file name. Serving a run needs a run config turned into an
    /// <see cref="IChatClient"/>, which Medley.Host does not offer yet; until it does, a run is refused here,
    /// at start-up, rather than served half-way.
    /// </summary>
    /// <param name="registry">Where the run would be registered.</param>
    /// <param name="runFile">The run config file.</param>
    /// <returns>The id the run would be served under.</returns>
    public static string AddRunConfig(ServedModelRegistry registry, string runFile)
    {
        ArgumentNullException.ThrowIfNull(registry);
        throw new MedleyException(
            ServerErrorCodes.RunNotServable,
            $"--run '{runFile}': serving run configs is not available in this build (no chat client over a run config yet); serve local models with --model DIR.",
            kind: MedleyErrorKind.Usage);
    }
}
