using Medley.Host.Chat;
using Medley.Host.Plugins;
using Medley.Host.Responses;
using Medley.Host.Running;
using Medley.Host.Runtime;
using Medley.Host.Tokenization;
using Medley.Sdk;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Medley.Server;

/// <summary>The one place where <c>medley serve</c>'s <c>--model</c> folders and <c>--run</c> files become registry entries.</summary>
public static class ServedModelSources
{
    /// <summary>Registers a local ONNX model folder under its folder name; the model is loaded on first use.</summary>
    /// <param name="registry">Where the model is registered.</param>
    /// <param name="folder">The folder holding model.onnx and its tokenizer files.</param>
    /// <param name="device">The execution device: cpu, cuda[:N], dml[:N] or auto.</param>
    /// <param name="promptFormat">How chat messages become the prompt: the model's chat template, or raw text for completion models.</param>
    /// <returns>The id the model is served under.</returns>
    public static string AddModelFolder(ServedModelRegistry registry, string folder, string device = "cpu", ChatPromptFormat promptFormat = ChatPromptFormat.Template)
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
            return ValueTask.FromResult<IChatClient>(new OnnxChatClient(model, id, ownsModel: true, promptFormat));
        });
        return id;
    }

    /// <summary>
    /// Registers a run config under its file name (without extension). The run's strategy, roles, parameters and
    /// remote members' key variables are checked now, so a bad run file stops <c>serve</c> before it listens; its
    /// members load on the first request for it.
    /// </summary>
    /// <param name="registry">Where the run is registered.</param>
    /// <param name="runFile">The run config file.</param>
    /// <param name="catalog">Where the run's strategy comes from.</param>
    /// <param name="loggerFactory">Loggers for the strategy.</param>
    /// <returns>The id the run is served under.</returns>
    /// <exception cref="MedleyException">When the file cannot be read or its strategy, roles, parameters or keys do not fit.</exception>
    public static string AddRunConfig(ServedModelRegistry registry, string runFile, PluginCatalog catalog, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var config = RunConfigReader.Read(runFile);
        RunPlan.CreateAny(catalog, config);
        var parameterProblems = RunChatClients.ParameterProblems(catalog, config);
        if (parameterProblems.Count > 0)
        {
            throw new MedleyException(
                ServerErrorCodes.RunInvalid,
                $"--run '{runFile}': the parameters of strategy '{config.Strategy}' do not fit: {string.Join("; ", parameterProblems)}");
        }

        RemoteMemberClients.CheckKeys(config.Members, config.Source);
        var id = Path.GetFileNameWithoutExtension(runFile);
        registry.Add(id, "medley-run", async cancellationToken =>
        {
            var run = await RunChatClients.CreateAsync(catalog, config, loggerFactory, cancellationToken).ConfigureAwait(false);
            return new ServedRunChatClient(run);
        });
        return id;
    }
}
