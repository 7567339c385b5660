using Medley.Sdk;
using Medley.Sdk.Models;
using Microsoft.ML.OnnxRuntime;

namespace Medley.Host.Runtime;

/// <summary>
/// A decoder ONNX model in the Optimum layout (one <c>model.onnx</c> with past inputs, or a legacy
/// <c>decoder_model_merged.onnx</c> with <c>use_cache_branch</c>) run by ONNX Runtime with a KV cache.
/// The session is shared by every <see cref="IDecodingSession"/> created from it (ONNX Runtime runs are thread-safe).
/// </summary>
public sealed class OnnxCausalLanguageModel : ICausalLanguageModel
{
    /// <summary>Model file names looked for in a folder, in order.</summary>
    public static readonly IReadOnlyList<string> ModelFileNames = ["model.onnx", "decoder_model_merged.onnx"];

    private readonly SessionOptions _sessionOptions;

    private OnnxCausalLanguageModel(InferenceSession session, SessionOptions sessionOptions, DecoderModelLayout layout, ModelInfo info, ITextTokenizer tokenizer, string file, OrtMemoryInfo? cacheMemory)
    {
        Session = session;
        CacheMemory = cacheMemory;
        _sessionOptions = sessionOptions;
        Layout = layout;
        Info = info;
        Tokenizer = tokenizer;
        File = file;
    }

    /// <inheritdoc />
    public ModelInfo Info { get; }

    /// <inheritdoc />
    public ITextTokenizer Tokenizer { get; }

    /// <summary>The model file.</summary>
    public string File { get; }

    internal InferenceSession Session { get; }

    internal DecoderModelLayout Layout { get; }

    /// <summary>
    /// The memory the KV cache is bound to between runs, or null when runs return it in CPU memory. Bound caches
    /// are rewound by masking dropped positions out, since their memory cannot be sliced from here.
    /// </summary>
    internal OrtMemoryInfo? CacheMemory { get; }

    /// <summary>Opens a model.</summary>
    /// <param name="options">Where it is, how to make its tokenizer and session.</param>
    /// <returns>The model; dispose it to free the session.</returns>
    /// <exception cref="MedleyException">When the file is missing, unreadable, not a decoder, or its vocabulary disagrees with the tokenizer.</exception>
    public static OnnxCausalLanguageModel Load(OnnxModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var file = ResolveFile(options.Path);
        var folder = System.IO.Path.GetDirectoryName(file)!;
        var sessionOptions = new SessionOptions();
        InferenceSession? session = null;
        try
        {
            options.ConfigureSession?.Invoke(sessionOptions);
            try
            {
                session = new InferenceSession(file, sessionOptions);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new MedleyException(
                    OnnxRuntimeErrorCodes.ModelInvalid,
                    $"ONNX Runtime could not load {file}; the file may be truncated or corrupt, or use operators this runtime lacks: {ex.Message}",
                    innerException: ex);
            }

            var config = ModelConfigFacts.Read(folder);
            var layout = DecoderModelLayout.Infer(file, session.InputMetadata, session.OutputMetadata, config);
            var vocabularySize = layout.LogitsWidth ?? config.VocabularySize ?? ProbeLogitsWidth(session, layout);
            var tokenizer = options.TokenizerFactory(folder);
            if (tokenizer.VocabularySize > vocabularySize)
            {
                throw new MedleyException(
                    OnnxRuntimeErrorCodes.VocabularyMismatch,
                    $"The tokenizer ({tokenizer.Description}) has {tokenizer.VocabularySize} token ids but {file} produces logits for {vocabularySize}; "
                    + "expected the logits to cover every token id (the model and tokenizer files come from different checkpoints?).");
            }

            var info = new ModelInfo
            {
                Name = options.Name ?? new DirectoryInfo(folder).Name,
                Location = file,
                Architecture = config.ModelType,
                VocabularySize = vocabularySize,
                LayerCount = layout.LayerCount,
                KeyValueHeads = layout.KeyValueHeads,
                HeadSize = layout.HeadSize,
                ContextLength = config.ContextLength,
                Device = options.Device,
            };
            // Masking is how a bound cache forgets positions, so a graph without an attention mask keeps the
            // unbound (copying) path.
            var cacheMemory = !layout.HasAttentionMask ? null
                : options.BindCacheOnCpu ? OrtMemoryInfo.DefaultInstance
                : CacheResidence.For(options.Device);
            return new OnnxCausalLanguageModel(session, sessionOptions, layout, info, tokenizer, file, cacheMemory);
        }
        catch
        {
            session?.Dispose();
            sessionOptions.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public IDecodingSession CreateSession() => new OnnxDecodingSession(this);

    /// <inheritdoc />
    public void Dispose()
    {
        if (!ReferenceEquals(CacheMemory, OrtMemoryInfo.DefaultInstance))
        {
            CacheMemory?.Dispose();
        }

        Session.Dispose();
        _sessionOptions.Dispose();
    }

    private static string ResolveFile(string path)
    {
        if (System.IO.File.Exists(path))
        {
            return System.IO.Path.GetFullPath(path);
        }

        if (!Directory.Exists(path))
        {
            throw new MedleyException(OnnxRuntimeErrorCodes.ModelNotFound, $"Model path '{path}' does not exist; expected an .onnx file or a folder holding {string.Join(" or ", ModelFileNames)}.");
        }

        var candidates = new[] { path, System.IO.Path.Combine(path, "onnx") }
            .SelectMany(folder => ModelFileNames.Select(name => System.IO.Path.Combine(folder, name)))
            .ToList();
        return candidates.Where(System.IO.File.Exists).Select(System.IO.Path.GetFullPath).FirstOrDefault()
            ?? throw new MedleyException(OnnxRuntimeErrorCodes.ModelNotFound, $"Model folder '{path}' holds none of {string.Join(", ", candidates)}.");
    }

    // Logits width unknown from the graph and config: one run over one token tells.
    private static int ProbeLogitsWidth(InferenceSession session, DecoderModelLayout layout)
    {
        using var probe = new OnnxDecodingSession(session, layout, vocabularySize: 0);
        return probe.RunForWidth();
    }
}
