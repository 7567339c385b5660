using System.Globalization;
using Medley.Host.Runtime;
using Onnx;

namespace Medley.Host.Onnx.Export;

/// <summary>
/// Writes the decoder graph of a GPT-2 or Llama-family checkpoint in the Optimum layout: one graph that takes the
/// KV cache of any length (zero on the first step) and returns logits for every new position plus the grown cache.
/// Standard opset-17 operators only, float32 arithmetic throughout.
/// </summary>
internal sealed class DecoderGraphBuilder
{
    private const string Batch = "batch_size";
    private const string Sequence = "sequence_length";
    private const string Past = "past_sequence_length";
    private const string Total = "total_sequence_length";

    private readonly DecoderArchitecture _arch;
    private readonly CheckpointWeights _weights;
    private readonly OnnxGraphBuilder _g;
    private readonly InitializerStore _store;
    private readonly CancellationToken _cancellationToken;
    private string _allowed = string.Empty;
    private string _cos = string.Empty;
    private string _sin = string.Empty;

    public DecoderGraphBuilder(DecoderArchitecture arch, CheckpointWeights weights, OnnxGraphBuilder graph, InitializerStore store, CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        _arch = arch;
        _weights = weights;
        _g = graph;
        _store = store;
    }

    /// <summary>The tensor names (without prefix) the architecture reads, and those read without the prefix.</summary>
    public static (string Probe, IReadOnlyList<string> Prefixes, List<string> Prefixed, List<string> Unprefixed) NeededTensors(DecoderArchitecture arch)
    {
        var prefixed = new List<string>();
        var unprefixed = new List<string>();
        if (arch.Family == DecoderFamily.Gpt2)
        {
            prefixed.AddRange(["wte.weight", "wpe.weight", "ln_f.weight", "ln_f.bias"]);
            for (var i = 0; i < arch.LayerCount; i++)
            {
                foreach (var part in new[] { "ln_1", "attn.c_attn", "attn.c_proj", "ln_2", "mlp.c_fc", "mlp.c_proj" })
                {
                    prefixed.Add(Layer(i, "h", part) + ".weight");
                    prefixed.Add(Layer(i, "h", part) + ".bias");
                }
            }

            if (!arch.TiedEmbeddings)
            {
                unprefixed.Add("lm_head.weight");
            }

            return ("wte.weight", ["", "transformer."], prefixed, unprefixed);
        }

        prefixed.AddRange(["embed_tokens.weight", "norm.weight"]);
        for (var i = 0; i < arch.LayerCount; i++)
        {
            prefixed.Add(Layer(i, "layers", "input_layernorm.weight"));
            prefixed.Add(Layer(i, "layers", "post_attention_layernorm.weight"));
            foreach (var projection in new[] { "q_proj", "k_proj", "v_proj", "o_proj" })
            {
                prefixed.Add(Layer(i, "layers", $"self_attn.{projection}.weight"));
                if (projection == "o_proj" ? arch.OutputBias : arch.QkvBias)
                {
                    prefixed.Add(Layer(i, "layers", $"self_attn.{projection}.bias"));
                }
            }

            foreach (var projection in new[] { "gate_proj", "up_proj", "down_proj" })
            {
                prefixed.Add(Layer(i, "layers", $"mlp.{projection}.weight"));
                if (arch.MlpBias)
                {
                    prefixed.Add(Layer(i, "layers", $"mlp.{projection}.bias"));
                }
            }
        }

        if (!arch.TiedEmbeddings)
        {
            unprefixed.Add("lm_head.weight");
        }

        return ("embed_tokens.weight", ["model."], prefixed, unprefixed);
    }

    public void Build()
    {
        AddInputsAndOutputs();
        BuildAttentionMask();
        var hidden = _arch.Family == DecoderFamily.Gpt2 ? BuildGpt2() : BuildLlama();
        _g.Add("Identity", [hidden], DecoderTensorNames.Logits);
    }

    private static string Layer(int index, string container, string part) => string.Create(CultureInfo.InvariantCulture, $"{container}.{index}.{part}");

    private void AddInputsAndOutputs()
    {
        _g.AddInput(DecoderTensorNames.InputIds, TensorProto.Types.DataType.Int64, Batch, Sequence);
        _g.AddInput(DecoderTensorNames.AttentionMask, TensorProto.Types.DataType.Int64, Batch, Total);
        _g.AddInput(DecoderTensorNames.PositionIds, TensorProto.Types.DataType.Int64, Batch, Sequence);
        for (var i = 0; i < _arch.LayerCount; i++)
        {
            foreach (var key in new[] { true, false })
            {
                _g.AddInput(DecoderTensorNames.Past(i, key), OnnxGraphBuilder.FloatType, Batch, _arch.KeyValueHeadCount, Past, _arch.HeadSize);
            }
        }

        _g.AddOutput(DecoderTensorNames.Logits, OnnxGraphBuilder.FloatType, Batch, Sequence, _arch.VocabularySize);
        for (var i = 0; i < _arch.LayerCount; i++)
        {
            foreach (var key in new[] { true, false })
            {
                _g.AddOutput(DecoderTensorNames.Present(i, key), OnnxGraphBuilder.FloatType, Batch, _arch.KeyValueHeadCount, Total, _arch.HeadSize);
            }
        }
    }

    // allowed[b, 0, i, j]: query i (at absolute position past + i) may see key j when j <= past + i and key j
    // is not padding. Applied with Where rather than an additive bias so that fully masked rows stay finite.
    private void BuildAttentionMask()
    {
        var sequenceLength = _g.Add("Gather", [_g.Add("Shape", [DecoderTensorNames.InputIds]), _g.Int64Scalar(1)]);
        var totalLength = _g.Add("Gather", [_g.Add("Shape", [DecoderTensorNames.AttentionMask]), _g.Int64Scalar(1)]);
        var pastLength = _g.Add("Sub", [totalLength, sequenceLength]);
        var queryPositions = _g.Add("Range", [pastLength, totalLength, _g.Int64Scalar(1)]);
        var keyPositions = _g.Add("Range", [_g.Int64Scalar(0), totalLength, _g.Int64Scalar(1)]);
        var causal = _g.Add("LessOrEqual", [_g.Add("Unsqueeze", [keyPositions, _g.Int64s(0)]), _g.Add("Unsqueeze", [queryPositions, _g.Int64s(1)])]);
        var causal4 = _g.Add("Unsqueeze", [causal, _g.Int64s(0, 1)]);
        var notPadding = _g.Add("Cast", [DecoderTensorNames.AttentionMask], null, OnnxGraphBuilder.Attribute("to", (long)TensorProto.Types.DataType.Bool));
        var notPadding4 = _g.Add("Unsqueeze", [notPadding, _g.Int64s(1, 2)]);
        _allowed = _g.Add("And", [causal4, notPadding4], "attention_allowed");
    }

    private string BuildGpt2()
    {
        int h = _arch.HiddenSize, v = _arch.VocabularySize;
        var wte = _store.Add("wte.weight", [v, h], _weights.Read("wte.weight", v, h));
        var contextLength = _weights.Read("wpe.weight", -1, h);
        var positions = contextLength.Length / h;
        var wpe = _store.Add("wpe.weight", [positions, h], contextLength);
        var x = _g.Add("Add", [_g.Add("Gather", [wte, DecoderTensorNames.InputIds]), _g.Add("Gather", [wpe, DecoderTensorNames.PositionIds])]);
        for (var i = 0; i < _arch.LayerCount; i++)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            x = Gpt2Block(i, x);
        }

        x = LayerNorm("ln_f", x);
        return LanguageModelHead(x, wte);
    }

    private string Gpt2Block(int i, string x)
    {
        int h = _arch.HiddenSize, inner = _arch.IntermediateSize;
        string P(string part) => Layer(i, "h", part);
        var attentionInput = LayerNorm(P("ln_1"), x);

        // c_attn is a Conv1D [in, 3*hidden] whose output columns are q | k | v: split it into three MatMuls.
        var fused = _weights.Read(P("attn.c_attn.weight"), h, 3 * h);
        var fusedBias = _weights.Read(P("attn.c_attn.bias"), 3 * h);
        var projections = new string[3];
        for (var part = 0; part < 3; part++)
        {
            var weight = new float[h * h];
            for (var row = 0; row < h; row++)
            {
                Array.Copy(fused, (long)row * 3 * h + part * h, weight, (long)row * h, h);
            }

            var name = P("attn.c_attn." + "qkv"[part]);
            projections[part] = Linear(attentionInput, name, weight, [h, h], fusedBias.AsSpan(part * h, h).ToArray());
        }

        var scale = _arch.ScaleAttentionWeights ? 1.0 / Math.Sqrt(_arch.HeadSize) : 1.0;
        if (_arch.ScaleAttentionByLayerIndex)
        {
            scale /= i + 1;
        }

        var context = Attention(i, projections[0], projections[1], projections[2], (float)scale, rotary: false);
        var attentionOutput = Linear(context, P("attn.c_proj"), _weights.Read(P("attn.c_proj.weight"), h, h), [h, h], _weights.Read(P("attn.c_proj.bias"), h));
        x = _g.Add("Add", [x, attentionOutput]);

        var mlpInput = LayerNorm(P("ln_2"), x);
        var up = Linear(mlpInput, P("mlp.c_fc"), _weights.Read(P("mlp.c_fc.weight"), h, inner), [h, inner], _weights.Read(P("mlp.c_fc.bias"), inner));
        var activated = _arch.Activation == "gelu" ? GeluExact(up) : GeluTanh(up);
        var down = Linear(activated, P("mlp.c_proj"), _weights.Read(P("mlp.c_proj.weight"), inner, h), [inner, h], _weights.Read(P("mlp.c_proj.bias"), h));
        return _g.Add("Add", [x, down]);
    }

    private string BuildLlama()
    {
        int h = _arch.HiddenSize, v = _arch.VocabularySize;
        var embeddings = _store.Add("embed_tokens.weight", [v, h], _weights.Read("embed_tokens.weight", v, h));
        var x = _g.Add("Gather", [embeddings, DecoderTensorNames.InputIds]);
        BuildRotaryTables();
        for (var i = 0; i < _arch.LayerCount; i++)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            x = LlamaBlock(i, x);
        }

        x = RmsNorm("norm", x);
        return LanguageModelHead(x, embeddings);
    }

    private string LlamaBlock(int i, string x)
    {
        int h = _arch.HiddenSize, qSize = _arch.HeadCount * _arch.HeadSize, kvSize = _arch.KeyValueHeadCount * _arch.HeadSize, inner = _arch.IntermediateSize;
        string P(string part) => Layer(i, "layers", part);
        var attentionInput = RmsNorm(P("input_layernorm"), x);
        var q = LlamaLinear(attentionInput, P("self_attn.q_proj"), qSize, h, _arch.QkvBias);
        var k = LlamaLinear(attentionInput, P("self_attn.k_proj"), kvSize, h, _arch.QkvBias);
        var v = LlamaLinear(attentionInput, P("self_attn.v_proj"), kvSize, h, _arch.QkvBias);
        var context = Attention(i, q, k, v, (float)(1.0 / Math.Sqrt(_arch.HeadSize)), rotary: true);
        x = _g.Add("Add", [x, LlamaLinear(context, P("self_attn.o_proj"), h, qSize, _arch.OutputBias)]);

        var mlpInput = RmsNorm(P("post_attention_layernorm"), x);
        var gate = LlamaLinear(mlpInput, P("mlp.gate_proj"), inner, h, _arch.MlpBias);
        var up = LlamaLinear(mlpInput, P("mlp.up_proj"), inner, h, _arch.MlpBias);
        var silu = _g.Add("Mul", [gate, _g.Add("Sigmoid", [gate])]);
        var down = LlamaLinear(_g.Add("Mul", [silu, up]), P("mlp.down_proj"), h, inner, _arch.MlpBias);
        return _g.Add("Add", [x, down]);
    }

    private string LlamaLinear(string input, string name, int outFeatures, int inFeatures, bool bias) =>
        Linear(input, name, _weights.ReadLinearTransposed(name + ".weight", outFeatures, inFeatures), [inFeatures, outFeatures], bias ? _weights.Read(name + ".bias", outFeatures) : null);

    private string Linear(string input, string name, float[] weightInOut, long[] dims, float[]? bias)
    {
        var y = _g.Add("MatMul", [input, _store.Add(name + ".weight", dims, weightInOut)]);
        return bias is null ? y : _g.Add("Add", [y, _store.Add(name + ".bias", [bias.Length], bias)]);
    }

    private string LanguageModelHead(string hidden, string embeddings)
    {
        int h = _arch.HiddenSize, v = _arch.VocabularySize;
        if (!_arch.TiedEmbeddings)
        {
            var head = _store.Add("lm_head.weight", [h, v], CheckpointWeights.Transpose(_weights.ReadExact("lm_head.weight", v, h), v, h));
            return _g.Add("MatMul", [hidden, head]);
        }

        // A tied head reads the embedding table [vocab, hidden] transposed: Gemm's transB does that in the
        // kernel, where a Transpose node would cost a second copy of the table (or a transpose every run).
        var rows = _g.Add("Reshape", [hidden, _g.Int64s(-1, h)]);
        var logits = _g.Add("Gemm", [rows, embeddings], null, OnnxGraphBuilder.Attribute("transB", 1L));
        var batchAndSequence = _g.Add("Slice", [_g.Add("Shape", [hidden]), _g.Int64s(0), _g.Int64s(2), _g.Int64s(0)]);
        return _g.Add("Reshape", [logits, _g.Add("Concat", [batchAndSequence, _g.Int64s(v)], null, OnnxGraphBuilder.Attribute("axis", 0L))]);
    }

    // q [B,S,nH*D], k and v [B,S,kvH*D] → context [B,S,nH*D]; appends k and v to the layer's cache. Grouped
    // heads are handled without repeating k and v: q is regrouped to [B,kvH,nRep*S,D] (head h uses kv head
    // h / nRep, as transformers' repeat_kv) so that each kv head multiplies all its query heads at once.
    private string Attention(int layer, string q, string k, string v, float scale, bool rotary)
    {
        int heads = _arch.HeadCount, kvHeads = _arch.KeyValueHeadCount, d = _arch.HeadSize;
        var perm = OnnxGraphBuilder.Attribute("perm", [0L, 2L, 1L, 3L]);
        var q4 = _g.Add("Transpose", [_g.Add("Reshape", [q, _g.Int64s(0, 0, heads, d)])], null, perm);
        var k4 = _g.Add("Transpose", [_g.Add("Reshape", [k, _g.Int64s(0, 0, kvHeads, d)])], null, perm);
        var v4 = _g.Add("Transpose", [_g.Add("Reshape", [v, _g.Int64s(0, 0, kvHeads, d)])], null, perm);
        if (rotary)
        {
            q4 = Rotate(q4);
            k4 = Rotate(k4);
        }

        var keys = _g.Add("Concat", [DecoderTensorNames.Past(layer, true), k4], DecoderTensorNames.Present(layer, true), OnnxGraphBuilder.Attribute("axis", 2L));
        var values = _g.Add("Concat", [DecoderTensorNames.Past(layer, false), v4], DecoderTensorNames.Present(layer, false), OnnxGraphBuilder.Attribute("axis", 2L));

        var grouped = _g.Add("Reshape", [_g.Mul(q4, scale), _g.Int64s(0, kvHeads, -1, d)]);
        var keysT = _g.Add("Transpose", [keys], null, OnnxGraphBuilder.Attribute("perm", [0L, 1L, 3L, 2L]));
        var scores = _g.Add("Reshape", [_g.Add("MatMul", [grouped, keysT]), _g.Int64s(0, heads, -1, 0)]);
        var masked = _g.Add("Where", [_allowed, scores, _g.FloatScalar(float.MinValue)]);
        var probabilities = _g.Add("Softmax", [masked], null, OnnxGraphBuilder.Attribute("axis", -1L));
        var context = _g.Add("MatMul", [_g.Add("Reshape", [probabilities, _g.Int64s(0, kvHeads, -1, 0)]), values]);
        var perHead = _g.Add("Reshape", [context, _g.Int64s(0, heads, -1, d)]);
        return _g.Add("Reshape", [_g.Add("Transpose", [perHead], null, perm), _g.Int64s(0, 0, heads * d)]);
    }

    // cos/sin [B,1,S,D] from position_ids, computed once: emb = cat(freqs, freqs) with freqs = pos * inv_freq.
    private void BuildRotaryTables()
    {
        var frequencies = _arch.RotaryInverseFrequencies.ToArray();
        var inverse = _g.Floats("rotary_inverse_frequencies", [frequencies.Length], frequencies);
        var positions = _g.Add("Cast", [DecoderTensorNames.PositionIds], null, OnnxGraphBuilder.Attribute("to", (long)TensorProto.Types.DataType.Float));
        var angles = _g.Add("Mul", [_g.Add("Unsqueeze", [positions, _g.Int64s(2)]), inverse]);
        var both = _g.Add("Concat", [angles, angles], null, OnnxGraphBuilder.Attribute("axis", -1L));
        _cos = _g.Add("Unsqueeze", [_g.Add("Cos", [both]), _g.Int64s(1)], "rotary_cos");
        _sin = _g.Add("Unsqueeze", [_g.Add("Sin", [both]), _g.Int64s(1)], "rotary_sin");
    }

    // x*cos + rotate_half(x)*sin with rotate_half(x) = cat(-x2, x1), as transformers' apply_rotary_pos_emb.
    private string Rotate(string x)
    {
        long half = _arch.HeadSize / 2;
        var first = _g.Add("Slice", [x, _g.Int64s(0), _g.Int64s(half), _g.Int64s(3)]);
        var second = _g.Add("Slice", [x, _g.Int64s(half), _g.Int64s(2 * half), _g.Int64s(3)]);
        var rotated = _g.Add("Concat", [_g.Add("Neg", [second]), first], null, OnnxGraphBuilder.Attribute("axis", 3L));
        return _g.Add("Add", [_g.Add("Mul", [x, _cos]), _g.Add("Mul", [rotated, _sin])]);
    }

    private string LayerNorm(string name, string x)
    {
        var h = _arch.HiddenSize;
        var weight = _store.Add(name + ".weight", [h], _weights.Read(name + ".weight", h));
        var bias = _store.Add(name + ".bias", [h], _weights.Read(name + ".bias", h));
        return _g.Add("LayerNormalization", [x, weight, bias], null, OnnxGraphBuilder.Attribute("axis", -1L), OnnxGraphBuilder.Attribute("epsilon", (float)_arch.NormEpsilon));
    }

    private string RmsNorm(string name, string x)
    {
        var h = _arch.HiddenSize;
        var weight = _store.Add(name + ".weight", [h], _weights.Read(name + ".weight", h));
        var meanSquare = _g.Add("ReduceMean", [_g.Add("Mul", [x, x])], null, OnnxGraphBuilder.Attribute("axes", [-1L]), OnnxGraphBuilder.Attribute("keepdims", 1L));
        var rms = _g.Add("Sqrt", [_g.Add("Add", [meanSquare, _g.FloatScalar((float)_arch.NormEpsilon)])]);
        return _g.Add("Mul", [_g.Add("Div", [x, rms]), weight]);
    }

    // gelu_new: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
    private string GeluTanh(string x)
    {
        var cube = _g.Add("Mul", [_g.Add("Mul", [x, x]), x]);
        var inner = _g.Mul(_g.Add("Add", [x, _g.Mul(cube, 0.044715f)]), (float)Math.Sqrt(2.0 / Math.PI));
        var onePlus = _g.Add("Add", [_g.Add("Tanh", [inner]), _g.FloatScalar(1f)]);
        return _g.Add("Mul", [_g.Mul(x, 0.5f), onePlus]);
    }

    // gelu: 0.5 x (1 + erf(x / sqrt 2)).
    private string GeluExact(string x)
    {
        var erf = _g.Add("Erf", [_g.Mul(x, (float)(1.0 / Math.Sqrt(2.0)))]);
        return _g.Add("Mul", [_g.Mul(x, 0.5f), _g.Add("Add", [erf, _g.FloatScalar(1f)])]);
    }
}
