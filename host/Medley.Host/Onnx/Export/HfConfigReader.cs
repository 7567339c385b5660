using System.Text.Json;
using Medley.Sdk;

namespace Medley.Host.Onnx.Export;

/// <summary>Reads a Hugging Face <c>config.json</c> into a <see cref="DecoderArchitecture"/>, refusing what the graph cannot express.</summary>
internal static class HfConfigReader
{
    public static readonly IReadOnlyList<string> SupportedModelTypes = ["gpt2", "llama", "mistral", "qwen2"];

    public static DecoderArchitecture Read(string checkpointFolder)
    {
        var path = Path.Combine(checkpointFolder, "config.json");
        if (!File.Exists(path))
        {
            throw new MedleyException(OnnxExportErrorCodes.ConfigMissing, $"Checkpoint folder '{checkpointFolder}' has no config.json; expected a Hugging Face checkpoint folder.");
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new MedleyException(OnnxExportErrorCodes.ConfigMissing, $"{path} is not valid JSON: {ex.Message}", innerException: ex);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new MedleyException(OnnxExportErrorCodes.ConfigMissing, $"{path} is not a JSON object.");
        }

        var config = new ConfigFields(path, root);
        var modelType = config.OptionalString("model_type");
        return modelType switch
        {
            "gpt2" => ReadGpt2(config),
            "llama" or "mistral" or "qwen2" => ReadLlama(config, modelType),
            _ => throw new MedleyException(
                OnnxExportErrorCodes.UnsupportedArchitecture,
                $"{path}: model_type '{modelType ?? "(absent)"}'"
                + (config.OptionalString("architectures") is { } a ? $" ({a})" : string.Empty)
                + $" is not supported; the exporter supports {string.Join(", ", SupportedModelTypes)}."),
        };
    }

    private static DecoderArchitecture ReadGpt2(ConfigFields config)
    {
        var hidden = config.RequiredInt("n_embd");
        var heads = config.RequiredInt("n_head");
        var activation = config.OptionalString("activation_function") ?? "gelu_new";
        if (activation is "gelu_pytorch_tanh")
        {
            activation = "gelu_new";
        }

        if (activation is not ("gelu_new" or "gelu"))
        {
            throw config.Invalid("activation_function", $"'{activation}'", "gelu_new, gelu_pytorch_tanh or gelu");
        }

        config.RequireDivisible("n_embd", hidden, "n_head", heads);
        return new DecoderArchitecture
        {
            ModelType = "gpt2",
            Family = DecoderFamily.Gpt2,
            VocabularySize = config.RequiredInt("vocab_size"),
            HiddenSize = hidden,
            LayerCount = config.RequiredInt("n_layer"),
            HeadCount = heads,
            KeyValueHeadCount = heads,
            HeadSize = hidden / heads,
            IntermediateSize = config.OptionalInt("n_inner") ?? 4 * hidden,
            NormEpsilon = config.OptionalDouble("layer_norm_epsilon") ?? 1e-5,
            TiedEmbeddings = config.OptionalBool("tie_word_embeddings") ?? true,
            Activation = activation,
            ScaleAttentionWeights = config.OptionalBool("scale_attn_weights") ?? true,
            ScaleAttentionByLayerIndex = config.OptionalBool("scale_attn_by_inverse_layer_idx") ?? false,
            ContextLength = config.OptionalInt("n_positions"),
        };
    }

    private static DecoderArchitecture ReadLlama(ConfigFields config, string modelType)
    {
        var hidden = config.RequiredInt("hidden_size");
        var heads = config.RequiredInt("num_attention_heads");
        var kvHeads = config.OptionalInt("num_key_value_heads") ?? heads;
        if (kvHeads <= 0 || heads % kvHeads != 0)
        {
            throw config.Invalid("num_key_value_heads", kvHeads.ToString(System.Globalization.CultureInfo.InvariantCulture), $"a positive divisor of num_attention_heads ({heads})");
        }

        var headSize = config.OptionalInt("head_dim");
        if (headSize is null)
        {
            config.RequireDivisible("hidden_size", hidden, "num_attention_heads", heads);
            headSize = hidden / heads;
        }

        if (headSize.Value % 2 != 0)
        {
            throw config.Invalid("head_dim", headSize.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), "an even head size (rotary embeddings rotate pairs)");
        }

        var activation = config.OptionalString("hidden_act") ?? "silu";
        if (activation != "silu")
        {
            throw config.Invalid("hidden_act", $"'{activation}'", "silu");
        }

        if (config.IsPresentAndNotNull("sliding_window") && (modelType == "mistral" || config.OptionalBool("use_sliding_window") == true))
        {
            throw config.Invalid("sliding_window", config.Raw("sliding_window"), "null (sliding-window attention is not exported)");
        }

        if (config.StringArray("layer_types") is { } layerTypes && layerTypes.FirstOrDefault(t => t != "full_attention") is { } other)
        {
            throw config.Invalid("layer_types", $"a list with '{other}'", "only full_attention layers (sliding-window attention is not exported)");
        }

        var attentionBias = config.OptionalBool("attention_bias") ?? false;
        return new DecoderArchitecture
        {
            ModelType = modelType,
            Family = DecoderFamily.Llama,
            VocabularySize = config.RequiredInt("vocab_size"),
            HiddenSize = hidden,
            LayerCount = config.RequiredInt("num_hidden_layers"),
            HeadCount = heads,
            KeyValueHeadCount = kvHeads,
            HeadSize = headSize.Value,
            IntermediateSize = config.RequiredInt("intermediate_size"),
            NormEpsilon = config.OptionalDouble("rms_norm_eps") ?? 1e-6,
            TiedEmbeddings = config.OptionalBool("tie_word_embeddings") ?? false,
            RotaryInverseFrequencies = RotaryFrequencies.Compute(config, headSize.Value),
            QkvBias = modelType == "qwen2" || attentionBias,
            OutputBias = attentionBias,
            MlpBias = config.OptionalBool("mlp_bias") ?? false,
            ContextLength = config.OptionalInt("max_position_embeddings"),
        };
    }
}
