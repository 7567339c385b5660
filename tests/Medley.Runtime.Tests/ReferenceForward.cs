namespace Medley.Runtime.Tests;

/// <summary>
/// Independent forward passes of GPT-2 and Llama over a whole sequence, in double precision with plain loops,
/// written from the transformers modelling code (no ONNX involved). Returns logits[position][token].
/// </summary>
public static class ReferenceForward
{
    public static double[][] Gpt2(TinyCheckpoint c, IReadOnlyList<int> tokens, string prefix = "")
    {
        int hidden = c.IntConfig("n_embd"), heads = c.IntConfig("n_head"), layers = c.IntConfig("n_layer"), vocab = c.Vocab;
        var n = tokens.Count;
        var x = new double[n][];
        for (var s = 0; s < n; s++)
        {
            x[s] = new double[hidden];
            for (var j = 0; j < hidden; j++)
            {
                x[s][j] = c[prefix + "wte.weight"][tokens[s] * hidden + j] + c[prefix + "wpe.weight"][s * hidden + j];
            }
        }

        for (var layer = 0; layer < layers; layer++)
        {
            var p = $"{prefix}h.{layer}.";
            var a = x.Select(row => LayerNorm(row, c[p + "ln_1.weight"], c[p + "ln_1.bias"], 1e-5)).ToArray();
            var qkv = a.Select(row => Conv1D(row, c[p + "attn.c_attn.weight"], c[p + "attn.c_attn.bias"], 3 * hidden)).ToArray();
            var q = qkv.Select(r => r[..hidden]).ToArray();
            var k = qkv.Select(r => r[hidden..(2 * hidden)]).ToArray();
            var v = qkv.Select(r => r[(2 * hidden)..]).ToArray();
            var context = Attention(q, k, v, heads, heads, hidden / heads);
            for (var s = 0; s < n; s++)
            {
                Accumulate(x[s], Conv1D(context[s], c[p + "attn.c_proj.weight"], c[p + "attn.c_proj.bias"], hidden));
                var m = LayerNorm(x[s], c[p + "ln_2.weight"], c[p + "ln_2.bias"], 1e-5);
                var up = Conv1D(m, c[p + "mlp.c_fc.weight"], c[p + "mlp.c_fc.bias"], 4 * hidden).Select(GeluNew).ToArray();
                Accumulate(x[s], Conv1D(up, c[p + "mlp.c_proj.weight"], c[p + "mlp.c_proj.bias"], hidden));
            }
        }

        return x.Select(row => Linear(LayerNorm(row, c[prefix + "ln_f.weight"], c[prefix + "ln_f.bias"], 1e-5), c[prefix + "wte.weight"], null, vocab)).ToArray();
    }

    public static double[][] Llama(TinyCheckpoint c, IReadOnlyList<int> tokens)
    {
        int hidden = c.IntConfig("hidden_size"), heads = c.IntConfig("num_attention_heads"), kvHeads = c.IntConfig("num_key_value_heads");
        int layers = c.IntConfig("num_hidden_layers"), inner = c.IntConfig("intermediate_size"), vocab = c.Vocab;
        var headSize = hidden / heads;
        var theta = Convert.ToDouble(c.Config["rope_theta"], System.Globalization.CultureInfo.InvariantCulture);
        var n = tokens.Count;
        var x = tokens.Select(t => c["model.embed_tokens.weight"].AsSpan(t * hidden, hidden).ToArray().Select(f => (double)f).ToArray()).ToArray();
        float[]? Bias(string name) => c.Tensors.TryGetValue(name, out var t) ? t.Values : null;
        for (var layer = 0; layer < layers; layer++)
        {
            var p = $"model.layers.{layer}.";
            var a = x.Select(row => RmsNorm(row, c[p + "input_layernorm.weight"], 1e-6)).ToArray();
            var q = a.Select(r => Linear(r, c[p + "self_attn.q_proj.weight"], Bias(p + "self_attn.q_proj.bias"), heads * headSize)).ToArray();
            var k = a.Select(r => Linear(r, c[p + "self_attn.k_proj.weight"], Bias(p + "self_attn.k_proj.bias"), kvHeads * headSize)).ToArray();
            var v = a.Select(r => Linear(r, c[p + "self_attn.v_proj.weight"], Bias(p + "self_attn.v_proj.bias"), kvHeads * headSize)).ToArray();
            for (var s = 0; s < n; s++)
            {
                Rope(q[s], heads, headSize, s, theta);
                Rope(k[s], kvHeads, headSize, s, theta);
            }

            var context = Attention(q, k, v, heads, kvHeads, headSize);
            for (var s = 0; s < n; s++)
            {
                Accumulate(x[s], Linear(context[s], c[p + "self_attn.o_proj.weight"], null, hidden));
                var m = RmsNorm(x[s], c[p + "post_attention_layernorm.weight"], 1e-6);
                var gate = Linear(m, c[p + "mlp.gate_proj.weight"], null, inner);
                var up = Linear(m, c[p + "mlp.up_proj.weight"], null, inner);
                var product = gate.Select((g, i) => g / (1 + Math.Exp(-g)) * up[i]).ToArray();
                Accumulate(x[s], Linear(product, c[p + "mlp.down_proj.weight"], null, hidden));
            }
        }

        var head = c.Tensors.ContainsKey("lm_head.weight") ? c["lm_head.weight"] : c["model.embed_tokens.weight"];
        return x.Select(row => Linear(RmsNorm(row, c["model.norm.weight"], 1e-6), head, null, vocab)).ToArray();
    }

    // Causal attention; query head h reads kv head h / (heads / kvHeads).
    private static double[][] Attention(double[][] q, double[][] k, double[][] v, int heads, int kvHeads, int headSize)
    {
        var n = q.Length;
        var group = heads / kvHeads;
        var result = q.Select(_ => new double[heads * headSize]).ToArray();
        for (var h = 0; h < heads; h++)
        {
            var kvh = h / group;
            for (var i = 0; i < n; i++)
            {
                var scores = new double[i + 1];
                for (var j = 0; j <= i; j++)
                {
                    double dot = 0;
                    for (var d = 0; d < headSize; d++)
                    {
                        dot += q[i][h * headSize + d] * k[j][kvh * headSize + d];
                    }

                    scores[j] = dot / Math.Sqrt(headSize);
                }

                var max = scores.Max();
                var weights = scores.Select(s => Math.Exp(s - max)).ToArray();
                var sum = weights.Sum();
                for (var j = 0; j <= i; j++)
                {
                    for (var d = 0; d < headSize; d++)
                    {
                        result[i][h * headSize + d] += weights[j] / sum * v[j][kvh * headSize + d];
                    }
                }
            }
        }

        return result;
    }

    // transformers' rotate_half convention: pairs (i, i + d/2).
    private static void Rope(double[] vector, int heads, int headSize, int position, double theta)
    {
        var half = headSize / 2;
        for (var h = 0; h < heads; h++)
        {
            for (var i = 0; i < half; i++)
            {
                var angle = position / Math.Pow(theta, 2.0 * i / headSize);
                double a = vector[h * headSize + i], b = vector[h * headSize + i + half];
                vector[h * headSize + i] = a * Math.Cos(angle) - b * Math.Sin(angle);
                vector[h * headSize + i + half] = b * Math.Cos(angle) + a * Math.Sin(angle);
            }
        }
    }

    private static double[] LayerNorm(double[] x, float[] weight, float[] bias, double eps)
    {
        var mean = x.Average();
        var variance = x.Select(v => (v - mean) * (v - mean)).Average();
        return x.Select((v, i) => (v - mean) / Math.Sqrt(variance + eps) * weight[i] + bias[i]).ToArray();
    }

    private static double[] RmsNorm(double[] x, float[] weight, double eps)
    {
        var rms = Math.Sqrt(x.Select(v => v * v).Average() + eps);
        return x.Select((v, i) => v / rms * weight[i]).ToArray();
    }

    // Conv1D: W stored [in, out].
    private static double[] Conv1D(double[] x, float[] weight, float[] bias, int outFeatures)
    {
        var y = bias.Select(b => (double)b).ToArray();
        for (var i = 0; i < x.Length; i++)
        {
            for (var o = 0; o < outFeatures; o++)
            {
                y[o] += x[i] * weight[i * outFeatures + o];
            }
        }

        return y;
    }

    // nn.Linear: W stored [out, in].
    private static double[] Linear(double[] x, float[] weight, float[]? bias, int outFeatures)
    {
        var y = new double[outFeatures];
        for (var o = 0; o < outFeatures; o++)
        {
            double sum = bias?[o] ?? 0;
            for (var i = 0; i < x.Length; i++)
            {
                sum += x[i] * weight[o * x.Length + i];
            }

            y[o] = sum;
        }

        return y;
    }

    private static double GeluNew(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    private static void Accumulate(double[] target, double[] delta)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] += delta[i];
        }
    }
}
