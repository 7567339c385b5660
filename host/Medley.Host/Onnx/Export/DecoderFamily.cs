namespace Medley.Host.Onnx.Export;

/// <summary>The block structures the exporter knows.</summary>
internal enum DecoderFamily
{
    /// <summary>GPT-2: learned positions, LayerNorm, fused Conv1D attention, GELU MLP.</summary>
    Gpt2,

    /// <summary>Llama and its kin (Mistral, Qwen2): RMSNorm, rotary positions, grouped KV heads, SwiGLU MLP.</summary>
    Llama,
}
