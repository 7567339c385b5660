"""A GPT-2 written so that its parameters are Hugging Face's GPT2LMHeadModel tensors one for one, and the
safetensors/config.json writer that saves it as a checkpoint Medley (and transformers) reads."""

import json
import math
import os
import struct

import torch
import torch.nn.functional as F


def config_json(n_embd, n_layer, n_head, vocab_size, n_positions, eos_id):
    """config.json as transformers' GPT2Config.to_json_file writes it."""
    return {
        "activation_function": "gelu_new",
        "architectures": ["GPT2LMHeadModel"],
        "attn_pdrop": 0.0,
        "bos_token_id": eos_id,
        "embd_pdrop": 0.0,
        "eos_token_id": eos_id,
        "initializer_range": 0.02,
        "layer_norm_epsilon": 1e-05,
        "model_type": "gpt2",
        "n_embd": n_embd,
        "n_head": n_head,
        "n_inner": None,
        "n_layer": n_layer,
        "n_positions": n_positions,
        "reorder_and_upcast_attn": False,
        "resid_pdrop": 0.0,
        "scale_attn_by_inverse_layer_idx": False,
        "scale_attn_weights": True,
        "summary_activation": None,
        "summary_first_dropout": 0.0,
        "summary_proj_to_labels": True,
        "summary_type": "cls_index",
        "summary_use_proj": True,
        "tie_word_embeddings": True,
        "torch_dtype": "float32",
        "transformers_version": "4.46.0",
        "use_cache": True,
        "vocab_size": vocab_size,
    }


class Gpt2:
    """Parameters in a dict keyed by HF names; Conv1D weights are [in, out] as in HF."""

    def __init__(self, config, generator):
        self.config = config
        d, n = config["n_embd"], config["n_layer"]
        std = config["initializer_range"]
        p = {}

        def normal(*shape, scale=1.0):
            return torch.randn(*shape, generator=generator) * std * scale

        p["transformer.wte.weight"] = normal(config["vocab_size"], d)
        p["transformer.wpe.weight"] = normal(config["n_positions"], d, scale=0.5)
        # GPT-2 scales residual projections by 1/sqrt(2 n_layer) so the residual stream keeps its size.
        residual = 1.0 / math.sqrt(2 * n)
        for i in range(n):
            h = f"transformer.h.{i}."
            p[h + "ln_1.weight"], p[h + "ln_1.bias"] = torch.ones(d), torch.zeros(d)
            p[h + "attn.c_attn.weight"], p[h + "attn.c_attn.bias"] = normal(d, 3 * d), torch.zeros(3 * d)
            p[h + "attn.c_proj.weight"], p[h + "attn.c_proj.bias"] = normal(d, d, scale=residual), torch.zeros(d)
            p[h + "ln_2.weight"], p[h + "ln_2.bias"] = torch.ones(d), torch.zeros(d)
            p[h + "mlp.c_fc.weight"], p[h + "mlp.c_fc.bias"] = normal(d, 4 * d), torch.zeros(4 * d)
            p[h + "mlp.c_proj.weight"], p[h + "mlp.c_proj.bias"] = normal(4 * d, d, scale=residual), torch.zeros(d)
        p["transformer.ln_f.weight"], p["transformer.ln_f.bias"] = torch.ones(d), torch.zeros(d)
        self.params = p

    def to(self, device):
        self.params = {k: v.to(device) for k, v in self.params.items()}
        return self

    def clone(self):
        copy = Gpt2.__new__(Gpt2)
        copy.config = self.config
        copy.params = {k: v.detach().clone() for k, v in self.params.items()}
        return copy

    def parameter_count(self):
        return sum(v.numel() for v in self.params.values())

    def forward(self, ids):
        """Logits [batch, time, vocab] for ids [batch, time], exactly HF GPT2LMHeadModel's arithmetic (no dropout)."""
        c, p = self.config, self.params
        d, heads, eps = c["n_embd"], c["n_head"], c["layer_norm_epsilon"]
        batch, time = ids.shape
        positions = torch.arange(time, device=ids.device)
        x = p["transformer.wte.weight"][ids] + p["transformer.wpe.weight"][positions]
        mask = torch.ones(time, time, dtype=torch.bool, device=ids.device).tril()
        for i in range(c["n_layer"]):
            h = f"transformer.h.{i}."
            a = F.layer_norm(x, (d,), p[h + "ln_1.weight"], p[h + "ln_1.bias"], eps)
            qkv = a @ p[h + "attn.c_attn.weight"] + p[h + "attn.c_attn.bias"]
            q, k, v = (t.view(batch, time, heads, d // heads).transpose(1, 2) for t in qkv.split(d, dim=2))
            scores = (q @ k.transpose(-1, -2)) / math.sqrt(d // heads)
            scores = scores.masked_fill(~mask, torch.finfo(scores.dtype).min)
            attended = (scores.softmax(-1) @ v).transpose(1, 2).reshape(batch, time, d)
            x = x + attended @ p[h + "attn.c_proj.weight"] + p[h + "attn.c_proj.bias"]
            m = F.layer_norm(x, (d,), p[h + "ln_2.weight"], p[h + "ln_2.bias"], eps)
            m = F.gelu(m @ p[h + "mlp.c_fc.weight"] + p[h + "mlp.c_fc.bias"], approximate="tanh")
            x = x + m @ p[h + "mlp.c_proj.weight"] + p[h + "mlp.c_proj.bias"]
        x = F.layer_norm(x, (d,), p["transformer.ln_f.weight"], p["transformer.ln_f.bias"], eps)
        return x @ p["transformer.wte.weight"].T

    @torch.no_grad()
    def greedy(self, prompts, max_new_tokens, eos_id):
        """Greedy continuation of each prompt (lists of ids) until EOS, without the EOS. Prompts of one length
        run as one batch, so positions match an unpadded single-prompt run."""
        results = [None] * len(prompts)
        by_length = {}
        for index, prompt in enumerate(prompts):
            by_length.setdefault(len(prompt), []).append(index)
        device = next(iter(self.params.values())).device
        for indices in by_length.values():
            ids = torch.tensor([prompts[i] for i in indices], device=device)
            done = torch.zeros(len(indices), dtype=torch.bool, device=device)
            generated = []
            for _ in range(max_new_tokens):
                next_ids = self.forward(ids)[:, -1].argmax(-1)
                generated.append(next_ids)
                done |= next_ids == eos_id
                if bool(done.all()):
                    break
                ids = torch.cat([ids, next_ids[:, None]], dim=1)
            rows = torch.stack(generated, dim=1).tolist()
            for row, index in zip(rows, indices):
                results[index] = row[:row.index(eos_id)] if eos_id in row else row
        return results


def save_checkpoint(model, folder):
    """config.json and model.safetensors (F32, HF tensor names, no lm_head: GPT-2 ties it to wte)."""
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(model.config, f, indent=2)
        f.write("\n")
    write_safetensors(os.path.join(folder, "model.safetensors"), model.params)


def write_safetensors(path, tensors):
    """The safetensors layout: 8-byte little-endian header length, JSON header, then raw little-endian data."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = tensors[name].detach().to("cpu", torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the data starts 8-byte aligned, as the safetensors library pads it
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def read_safetensors(path):
    import numpy as np
    with open(path, "rb") as f:
        length = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(data[begin:end], dtype="<f4").copy()).view(entry["shape"])
    return tensors
