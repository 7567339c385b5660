# Writes tiny Hugging Face checkpoints with transformers itself and the logits transformers computes for a fixed
# prompt (in float64), so that the exporter is checked against the real modelling code, not only against the
# C# reference in ReferenceForward.cs. Usage: python3 make_hf_fixtures.py OUT_FOLDER
import json
import os
import sys

import torch
import transformers
from transformers import (GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM, MistralConfig,
                          MistralForCausalLM, Qwen2Config, Qwen2ForCausalLM)

PROMPT = [5, 17, 3, 42, 9, 63, 0, 28]
small = dict(vocab_size=64, hidden_size=32, num_attention_heads=4, num_hidden_layers=2, intermediate_size=48,
             max_position_embeddings=128, attn_implementation="eager")
cases = {
    "hf-gpt2": lambda: GPT2LMHeadModel(GPT2Config(vocab_size=64, n_embd=32, n_head=4, n_layer=2, n_positions=32,
                                                  attn_implementation="eager")),
    "hf-llama-gqa-llama3-rope": lambda: LlamaForCausalLM(LlamaConfig(
        **small, num_key_value_heads=2, tie_word_embeddings=True,
        rope_scaling={"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0, "low_freq_factor": 1.0,
                      "high_freq_factor": 4.0, "original_max_position_embeddings": 16})),
    "hf-mistral": lambda: MistralForCausalLM(MistralConfig(**small, num_key_value_heads=1, sliding_window=None)),
    "hf-qwen2": lambda: Qwen2ForCausalLM(Qwen2Config(**small, num_key_value_heads=2, use_sliding_window=False,
                                                     tie_word_embeddings=False)),
}

out = sys.argv[1]
torch.manual_seed(1234)
for name, make in cases.items():
    model = make().float().eval()
    with torch.no_grad():
        # Default initialisation (std 0.02) gives near-uniform logits; larger weights make the comparison bite.
        for parameter_name, parameter in model.named_parameters():
            if parameter_name.endswith("bias"):
                parameter.copy_(torch.randn_like(parameter) * 0.1)
            elif "norm" in parameter_name or ".ln_" in parameter_name:
                parameter.copy_(1 + torch.randn_like(parameter) * 0.1)
            else:
                parameter.copy_(torch.randn_like(parameter) * 0.3)
    folder = os.path.join(out, name)
    model.save_pretrained(folder, safe_serialization=True)
    with torch.no_grad():
        logits = model.double()(torch.tensor([PROMPT])).logits[0]
    with open(os.path.join(folder, "reference_logits.json"), "w") as f:
        json.dump({"transformers": transformers.__version__, "prompt": PROMPT, "logits": logits.tolist()}, f)
    print(name, sorted(os.listdir(folder)), float(logits.abs().max()))
