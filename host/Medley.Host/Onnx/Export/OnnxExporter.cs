using System.Diagnostics;
using Medley.Host.Tensors;
using Medley.Sdk;
using Onnx;

namespace Medley.Host.Onnx.Export;

/// <summary>
/// Exports a Hugging Face decoder checkpoint (GPT-2, Llama, Mistral, Qwen2) to one <c>model.onnx</c> in the
/// Optimum layout with a KV cache, beside copies of its tokenizer and configuration files.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The model file's name.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>The external weights file's name.</summary>
    public const string ExternalDataFileName = "model.onnx.data";

    /// <summary>The ONNX operator set the graph uses.</summary>
    public const int OpsetVersion = 17;

    /// <summary>Checkpoint files copied beside the model when present.</summary>
    public static readonly IReadOnlyList<string> CopiedFileNames =
    [
        "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "vocab.json", "merges.txt",
        "tokenizer.model", "special_tokens_map.json",
    ];

    /// <summary>Exports a checkpoint.</summary>
    /// <param name="checkpointFolder">The Hugging Face checkpoint folder (config.json and safetensors).</param>
    /// <param name="outputFolder">The folder to create.</param>
    /// <param name="options">Dtype, overwrite, external data; defaults when null.</param>
    /// <param name="cancellationToken">Checked before each layer is converted.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="MedleyException">For an unsupported architecture, missing tensors, or an existing output.</exception>
    public static OnnxExportResult Export(string checkpointFolder, string outputFolder, OnnxExportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointFolder);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputFolder);
        options ??= new OnnxExportOptions();
        var stopwatch = Stopwatch.StartNew();
        var destination = Path.GetFullPath(outputFolder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        if ((Directory.Exists(destination) || File.Exists(destination)) && !options.Overwrite)
        {
            throw new MedleyException(OnnxExportErrorCodes.OutputExists, $"Output '{destination}' already exists; remove it or pass --force to replace it.");
        }

        var arch = HfConfigReader.Read(checkpointFolder);
        using var checkpoint = SafetensorsCheckpoint.Open(checkpointFolder);
        var (probe, prefixes, prefixed, unprefixed) = DecoderGraphBuilder.NeededTensors(arch);
        var weights = CheckpointWeights.Require(checkpoint, arch.ModelType, prefixes, probe, prefixed, unprefixed);
        var totalBytes = weights.RequiredNames.Sum(n => checkpoint.GetInfo(n).ElementCount) * InitializerStore.ElementSize(options.Dtype);
        var external = options.ForceExternalData || totalBytes > OnnxExportOptions.ExternalDataThresholdBytes;

        var parent = Path.GetDirectoryName(destination)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(destination)}.medley-tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            long parameterCount;
            var graph = new OnnxGraphBuilder(arch.ModelType);
            using (var store = new InitializerStore(graph, options.Dtype, external ? Path.Combine(staging, ExternalDataFileName) : null))
            {
                cancellationToken.ThrowIfCancellationRequested();
                new DecoderGraphBuilder(arch, weights, graph, store, cancellationToken).Build();
                parameterCount = store.ParameterCount;
            }

            cancellationToken.ThrowIfCancellationRequested();
            var model = new ModelProto
            {
                IrVersion = 8,
                ProducerName = "medley",
                ProducerVersion = typeof(OnnxExporter).Assembly.GetName().Version?.ToString() ?? "0",
                Graph = graph.Graph,
            };
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion });
            model.MetadataProps.Add(new StringStringEntryProto { Key = "model_type", Value = arch.ModelType });
            model.MetadataProps.Add(new StringStringEntryProto { Key = "weights_dtype", Value = options.Dtype == OnnxExportDtype.Float16 ? "float16" : "float32" });
            model.WriteToFile(Path.Combine(staging, ModelFileName));

            var copied = new List<string>();
            foreach (var name in CopiedFileNames)
            {
                var source = Path.Combine(checkpointFolder, name);
                if (File.Exists(source))
                {
                    File.Copy(source, Path.Combine(staging, name));
                    copied.Add(name);
                }
            }

            MoveIntoPlace(staging, destination);
            var externalPath = Path.Combine(destination, ExternalDataFileName);
            return new OnnxExportResult(
                destination,
                arch.ModelType,
                options.Dtype,
                arch.LayerCount,
                parameterCount,
                new FileInfo(Path.Combine(destination, ModelFileName)).Length,
                File.Exists(externalPath) ? new FileInfo(externalPath).Length : 0,
                copied,
                stopwatch.Elapsed);
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }
    }

    private static void MoveIntoPlace(string staging, string destination)
    {
        if (File.Exists(destination))
        {
            File.Delete(destination);
        }
        else if (Directory.Exists(destination))
        {
            Directory.Delete(destination, recursive: true);
        }

        Directory.Move(staging, destination);
    }
}
